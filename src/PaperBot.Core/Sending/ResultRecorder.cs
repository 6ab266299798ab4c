using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PaperBot.Core.Subscribers;

namespace PaperBot.Core.Sending;

/// <summary>
/// Records what became of one batch's deliveries: results are buffered as sends answer and written together every
/// quarter second, and once more at the end; the batch's claim is renewed a few times per lease meanwhile. A write
/// that fails (the database busy or away) keeps its results and is tried again, for as long as the host runs: a result
/// is never dropped while the process lives. Meanwhile the recorder <see cref="IsBehind"/>, and its channel claims
/// nothing: the claim on those deliveries may have run out while the database was away.
/// </summary>
public sealed class ResultRecorder : IAsyncDisposable
{
    private static readonly TimeSpan FlushInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>How long the last write at the end of a batch keeps trying once the host is stopping.</summary>
    private static readonly TimeSpan FinalFlushPatience = TimeSpan.FromSeconds(60);

    private readonly Channel channel;
    private readonly List<long> claimed;
    private readonly IServiceScopeFactory scopes;
    private readonly TimeProvider clock;
    private readonly ILogger logger;
    private readonly TimeSpan renewEvery;
    private readonly Lock gate = new();
    private readonly SemaphoreSlim writing = new(1, 1);
    private readonly CancellationTokenSource done = new();
    private readonly Task flusher;
    private readonly CancellationToken stopping;
    private List<DeliveryResult> results = [];
    private volatile bool behind;

    public ResultRecorder(
        Channel channel, ClaimedBatch batch, IServiceScopeFactory scopes, IOptions<DeliveryOptions> options, TimeProvider clock, ILogger logger, CancellationToken stopping)
    {
        this.channel = channel;
        this.stopping = stopping;
        claimed = batch.Deliveries.Select(d => d.Id).ToList();
        this.scopes = scopes;
        this.clock = clock;
        this.logger = logger;
        renewEvery = options.Value.ClaimLease / 3;
        flusher = FlushPeriodicallyAsync();
    }

    /// <summary>Results are waiting for a write that failed to go through.</summary>
    public bool IsBehind => behind;

    /// <summary>Deliveries handed back unsent: too late for their window, or the channel was paused.</summary>
    public int Returned { get; private set; }

    public void Add(DeliveryResult result)
    {
        lock (gate)
        {
            results.Add(result);
            if (result is { Outcome: null, Skipped: false })
                Returned++;
        }
    }

    /// <summary>Stops the periodic writes and writes what is left, retrying for a while if the database does not take it.</summary>
    public async ValueTask DisposeAsync()
    {
        await done.CancelAsync();
        await flusher;
        DateTimeOffset? deadline = null;
        var wait = FlushInterval;
        while (!await TryFlushAsync())
        {
            if (stopping.IsCancellationRequested)
                deadline ??= clock.GetUtcNow() + FinalFlushPatience;
            if (clock.GetUtcNow() >= deadline)
            {
                logger.LogError("delivery: gave up writing {Count} {Channel} results while stopping; those deliveries go out again after their claim runs out", Pending, channel);
                break;
            }

            await Task.Delay(wait, clock);
            wait = TimeSpan.FromTicks(Math.Min(wait.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
        }

        done.Dispose();
        writing.Dispose();
    }

    private int Pending
    {
        get
        {
            lock (gate)
                return results.Count;
        }
    }

    private async Task FlushPeriodicallyAsync()
    {
        var renewedAt = clock.GetUtcNow();
        while (!done.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(FlushInterval, clock, done.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            await TryFlushAsync();
            if (clock.GetUtcNow() - renewedAt >= renewEvery && await TryRenewAsync())
                renewedAt = clock.GetUtcNow();
        }
    }

    /// <returns>False when the write failed; the results stay for the next try.</returns>
    private async Task<bool> TryFlushAsync()
    {
        await writing.WaitAsync(CancellationToken.None);
        List<DeliveryResult> taken;
        lock (gate)
        {
            taken = results;
            results = [];
        }

        try
        {
            if (taken.Count > 0)
            {
                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<DeliveryResults>().WriteAsync(channel, taken, CancellationToken.None);
            }

            behind = false;
            return true;
        }
        catch (Exception error)
        {
            lock (gate)
                results.InsertRange(0, taken);
            behind = taken.Count > 0;
            logger.LogWarning("delivery: unable to write {Count} {Channel} results ({Reason}); keeping them and trying again", taken.Count, channel, error.Message);
            return false;
        }
        finally
        {
            writing.Release();
        }
    }

    private async Task<bool> TryRenewAsync()
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<DeliveryClaims>().RenewAsync(claimed, CancellationToken.None);
            return true;
        }
        catch (Exception error)
        {
            logger.LogWarning("delivery: unable to renew the claim on {Count} {Channel} deliveries ({Reason}); trying again", claimed.Count, channel, error.Message);
            return false;
        }
    }
}
