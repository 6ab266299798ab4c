using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PaperBot.Core.Subscribers;

namespace PaperBot.Core.Sending;

/// <summary>
/// Records what became of one batch's deliveries: results are buffered as sends answer and written together every
/// quarter second (and once more at the end), and the batch's claim is renewed a few times per lease meanwhile.
/// </summary>
public sealed class ResultRecorder : IAsyncDisposable
{
    private static readonly TimeSpan FlushInterval = TimeSpan.FromMilliseconds(250);

    private readonly Channel channel;
    private readonly IReadOnlyCollection<long> claimed;
    private readonly IServiceScopeFactory scopes;
    private readonly TimeProvider clock;
    private readonly TimeSpan renewEvery;
    private readonly Lock gate = new();
    private readonly SemaphoreSlim writing = new(1, 1);
    private readonly CancellationTokenSource done = new();
    private readonly Task flusher;
    private List<DeliveryResult> results = [];

    public ResultRecorder(Channel channel, ClaimedBatch batch, IServiceScopeFactory scopes, IOptions<DeliveryOptions> options, TimeProvider clock)
    {
        this.channel = channel;
        claimed = batch.Deliveries.Select(d => d.Id).ToList();
        this.scopes = scopes;
        this.clock = clock;
        renewEvery = options.Value.ClaimLease / 3;
        flusher = FlushPeriodicallyAsync();
    }

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

    /// <summary>Stops the periodic writes and writes what is left.</summary>
    public async ValueTask DisposeAsync()
    {
        await done.CancelAsync();
        await flusher;
        await FlushAsync();
        done.Dispose();
        writing.Dispose();
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

            await FlushAsync();
            if (clock.GetUtcNow() - renewedAt >= renewEvery)
            {
                renewedAt = clock.GetUtcNow();
                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<DeliveryClaims>().RenewAsync(claimed, CancellationToken.None);
            }
        }
    }

    private async Task FlushAsync()
    {
        await writing.WaitAsync(CancellationToken.None);
        try
        {
            List<DeliveryResult> taken;
            lock (gate)
            {
                taken = results;
                results = [];
            }

            if (taken.Count == 0)
                return;
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<DeliveryResults>().WriteAsync(channel, taken, CancellationToken.None);
        }
        finally
        {
            writing.Release();
        }
    }
}
