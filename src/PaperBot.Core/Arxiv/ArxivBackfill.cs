using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace PaperBot.Core.Arxiv;

/// <summary>Wakes the background fill: an import could not reach arXiv.</summary>
public sealed class ArxivBackfillSignal
{
    private TaskCompletionSource woken = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Wake() => woken.TrySetResult();

    /// <summary>Returns when woken or after <paramref name="delay"/>, whichever comes first.</summary>
    public async Task WaitAsync(TimeSpan delay, TimeProvider clock, CancellationToken cancellationToken)
    {
        var current = Volatile.Read(ref woken);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        await Task.WhenAny(current.Task, Task.Delay(delay, clock, stop.Token));
        await stop.CancelAsync();
        cancellationToken.ThrowIfCancellationRequested();
        Interlocked.CompareExchange(ref woken, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), current);
    }
}

/// <summary>
/// Fills in arXiv metadata that imports could not get: at start, when an import failed, and every hour; after a
/// failure it waits 1, 2, 4 … up to 60 minutes before the next try (time from the injected TimeProvider).
/// </summary>
public sealed class ArxivBackfill(IServiceScopeFactory scopes, ArxivBackfillSignal signal, IOptions<ArxivOptions> options, TimeProvider clock, ILogger<ArxivBackfill> logger) : BackgroundService
{
    public static readonly TimeSpan FirstRetry = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan LongestRetry = TimeSpan.FromMinutes(60);
    public static readonly TimeSpan Idle = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
            return;
        var retry = FirstRetry;
        while (!stoppingToken.IsCancellationRequested)
        {
            bool? answered;
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                answered = await scope.ServiceProvider.GetRequiredService<ArxivMetadataFill>().FillPendingAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "arxiv: background fill failed");
                answered = false;
            }

            // Answered with a full page: more may be waiting, so go on (the gate keeps the 3 s spacing).
            if (answered == true)
            {
                retry = FirstRetry;
                continue;
            }

            var wait = answered == false ? retry : Idle;
            if (answered == false)
                retry = TimeSpan.FromTicks(Math.Min(retry.Ticks * 2, LongestRetry.Ticks));
            else
                retry = FirstRetry;
            try
            {
                await signal.WaitAsync(wait, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
