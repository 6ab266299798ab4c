using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PaperBot.Core.Data;
using PaperBot.Core.Subscribers;

namespace PaperBot.Core.Sending;

/// <summary>
/// One channel's side of the outbox, in three steps: claim a batch with its send slots (<see cref="DeliveryClaims"/>),
/// dispatch it at those slots (<see cref="BatchDispatcher"/>), record the results (<see cref="ResultRecorder"/>); repeat.
/// Batches are claimed up to a second ahead of their slots and prepared meanwhile, so a push runs at the configured
/// rate without gaps between batches.
/// </summary>
public sealed class ChannelSendLoop(
    IChannelSender sender,
    IServiceScopeFactory scopes,
    BatchPreparation preparation,
    BatchDispatcher dispatcher,
    DeliverySignal signal,
    DeliveryMetrics metrics,
    IOptions<DeliveryOptions> options,
    TimeProvider clock,
    ILogger<ChannelSendLoop> logger)
{
    private static readonly TimeSpan IdlePoll = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan QueueDepthInterval = TimeSpan.FromSeconds(5);

    /// <summary>How soon a pause or an outage another instance saw stops this one's sends too.</summary>
    private static readonly TimeSpan SharedStateInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>Batches claimed ahead and sending at once; the claims' send slots keep them from overlapping.</summary>
    private const int MaxOutstandingBatches = 3;

    private readonly ConcurrentDictionary<ResultRecorder, byte> recording = new();
    private DateTimeOffset queueDepthAt = DateTimeOffset.MinValue;

    public Channel Channel => sender.Channel;

    public async Task RunAsync(CancellationToken stopping)
    {
        await WithScopeAsync<DeliveryClaims, int>(claims => claims.ReleaseStaleAsync(Channel, stopping));
        await WithScopeAsync<ChannelHealth, bool>(async health =>
        {
            await health.ProbeNowAsync(Channel, stopping);
            return true;
        });
        var outstanding = new List<Task>();
        var watching = WatchSharedStateAsync(stopping);
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                try
                {
                    outstanding.RemoveAll(t => t.IsCompleted);
                    if (outstanding.Count >= MaxOutstandingBatches)
                        await Task.WhenAny(outstanding);
                    if (recording.Keys.Any(r => r.IsBehind))
                    {
                        // Results the database did not take yet name deliveries whose claim may have run out meanwhile:
                        // claimed again before those results are written, they would be sent twice.
                        await Task.Delay(IdlePoll, clock, stopping);
                        continue;
                    }

                    await UpdateQueueDepthAsync(stopping);
                    var batch = await WithScopeAsync<DeliveryClaims, ClaimedBatch>(claims => claims.ClaimAsync(Channel, dispatcher.ProbeSize, stopping));
                    if (batch.NotBefore is { } notBefore)
                        await Task.Delay(Max(notBefore - clock.GetUtcNow(), TimeSpan.FromMilliseconds(20)), clock, stopping);
                    else if (batch.Deliveries.Count == 0)
                        await signal.WaitAsync(IdlePoll, clock, stopping);
                    else
                        outstanding.Add(await StartAsync(batch, stopping));
                }
                catch (OperationCanceledException) when (stopping.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception error)
                {
                    logger.LogError(error, "delivery: {Channel} send loop failed; retrying in 5 s", Channel);
                    await Task.Delay(TimeSpan.FromSeconds(5), clock, stopping).ContinueWith(_ => { }, TaskScheduler.Default);
                }
            }
        }
        finally
        {
            await Task.WhenAll(outstanding).ContinueWith(_ => { }, TaskScheduler.Default);
            await watching;
        }
    }

    /// <summary>Applies the channel's shared pause and outage, which another instance may have seen first, to this instance's sends.</summary>
    private async Task WatchSharedStateAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(SharedStateInterval, clock, stopping);
                var condition = await WithScopeAsync<ChannelHealth, ChannelCondition?>(health => health.ReadAsync(Channel, stopping));
                if (condition?.PausedUntil is { } paused)
                    dispatcher.PauseUntil(paused);
                dispatcher.DownUntil(condition is { IsDown: true } ? condition.ProbeAt ?? clock.GetUtcNow() : null);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception error)
            {
                logger.LogDebug(error, "delivery: unable to read the shared state of {Channel}", Channel);
            }
        }
    }

    /// <summary>
    /// Prepares the batch, then sends it in the background at its slots; returns the task of its end. A stop does not cut
    /// the preparation short: the dispatch hands back what it does not send, where an abandoned batch would stay claimed
    /// until its lease ran out.
    /// </summary>
    private async Task<Task> StartAsync(ClaimedBatch batch, CancellationToken stopping)
    {
        var prepared = await preparation.PrepareAsync(batch, CancellationToken.None);
        return Task.Run(async () =>
        {
            var recorder = new ResultRecorder(Channel, batch, scopes, options, clock, logger, stopping);
            recording[recorder] = 0;
            try
            {
                await using (recorder)
                    await dispatcher.DispatchAsync(batch, prepared, recorder, stopping);
            }
            finally
            {
                recording.TryRemove(recorder, out _);
            }

            if (recorder.Returned > 0)
                logger.LogInformation("delivery: {Channel} handed {Returned} of {Claimed} deliveries back to the queue (late for their send window, or paused)",
                    Channel, recorder.Returned, batch.Deliveries.Count);
        }, CancellationToken.None);
    }

    private async Task UpdateQueueDepthAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (now - queueDepthAt < QueueDepthInterval)
            return;
        queueDepthAt = now;
        var channel = Channel;
        var depth = await WithScopeAsync<PaperBotDbContext, int>(db =>
            db.PushTallies.Where(t => t.Channel == channel && t.Pending > 0).SumAsync(t => t.Pending, cancellationToken));
        metrics.QueueDepth(Channel, depth);
    }

    private async Task<TResult> WithScopeAsync<TService, TResult>(Func<TService, Task<TResult>> use)
        where TService : notnull
    {
        await using var scope = scopes.CreateAsyncScope();
        return await use(scope.ServiceProvider.GetRequiredService<TService>());
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
