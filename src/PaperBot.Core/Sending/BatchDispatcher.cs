using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PaperBot.Core.Commands;

namespace PaperBot.Core.Sending;

/// <summary>
/// Sends one channel's batches: each delivery at its slot (see <see cref="BatchPace"/>), with at most
/// <see cref="DeliveryOptions.MaxConcurrency"/> in flight; a batch channel gets one call per group of identical
/// messages instead. Batches start their sends one after another. It is also the channel's circuit breaker on this
/// instance: a channel-wide 429, a channel that is down, or <see cref="DeliveryOptions.ChannelDownAfter"/> failed sends
/// in a row stop sending at once — the unsent deliveries go back to the queue without losing an attempt — and the
/// shared state tells every other instance (<see cref="ChannelHealth"/>).
/// </summary>
public sealed class BatchDispatcher : IDisposable
{
    private readonly DeliveryMetrics metrics;
    private readonly IServiceScopeFactory scopes;
    private readonly DeliveryOptions options;
    private readonly TimeProvider clock;
    private readonly ILogger logger;
    private readonly SemaphoreSlim inFlight;
    private readonly SemaphoreSlim dispatching = new(1, 1);
    private readonly BatchPace pace;
    private long pausedUntilTicks;
    private long downUntilTicks;
    private int failuresInARow;

    public BatchDispatcher(
        IChannelSender sender, DeliveryMetrics metrics, IServiceScopeFactory scopes, IOptions<DeliveryOptions> options, TimeProvider clock, ILogger<BatchDispatcher> logger)
    {
        Sender = sender;
        this.metrics = metrics;
        this.scopes = scopes;
        this.options = options.Value;
        this.clock = clock;
        this.logger = logger;
        inFlight = new SemaphoreSlim(this.options.MaxConcurrency);
        pace = new BatchPace(clock, PausedUntilTicks);
    }

    public IChannelSender Sender { get; }

    /// <summary>
    /// What a probe claims: one delivery, or for a batch channel up to one call's worth, of which only the first group
    /// goes. A probe of one recipient could not be a WeChat mass send: it went as a customer-service message, which
    /// waits for the subscriber's next message when they have not written for 48 hours.
    /// </summary>
    public int ProbeSize => Sender is IBatchChannelSender { MaxBatchSize: > 1 } batchSender ? batchSender.MaxBatchSize : 1;

    /// <summary>No send starts before <paramref name="until"/> on this instance: a channel-wide 429, here or on another instance.</summary>
    public void PauseUntil(DateTimeOffset until) => Extend(ref pausedUntilTicks, until.UtcTicks);

    /// <summary>The channel is down until its next probe (null: it is up); only the probe's batch is sent meanwhile.</summary>
    public void DownUntil(DateTimeOffset? probe) => Interlocked.Exchange(ref downUntilTicks, probe?.UtcTicks ?? 0);

    private long PausedUntilTicks(ClaimedBatch batch) =>
        batch.IsProbe ? Interlocked.Read(ref pausedUntilTicks) : Math.Max(Interlocked.Read(ref pausedUntilTicks), Interlocked.Read(ref downUntilTicks));

    private static void Extend(ref long field, long ticks)
    {
        long current;
        do
        {
            current = Interlocked.Read(ref field);
            if (ticks <= current)
                return;
        }
        while (Interlocked.CompareExchange(ref field, ticks, current) != current);
    }

    /// <summary>
    /// Sends the batch and records every delivery's result; returns when the last send has answered. Stopping starts no
    /// new send and hands the rest back; sends already out are let finish, so their results are written.
    /// </summary>
    public async Task DispatchAsync(ClaimedBatch batch, IReadOnlyList<PreparedDelivery> prepared, ResultRecorder recorder, CancellationToken stopping)
    {
        foreach (var skipped in prepared.Where(p => p.SkippedBecause is not null))
            recorder.Add(new DeliveryResult(skipped.Delivery, null, SkippedBecause: skipped.SkippedBecause));
        var toSend = prepared.Where(p => p.SkippedBecause is null).ToList();

        List<Task> sends;
        await dispatching.WaitAsync(CancellationToken.None);
        try
        {
            sends = Sender is IBatchChannelSender { MaxBatchSize: > 1 } batchSender
                ? await DispatchGroupsAsync(batchSender, toSend, batch, recorder, stopping)
                : await DispatchOneByOneAsync(toSend, batch, recorder, stopping);
        }
        finally
        {
            dispatching.Release();
        }

        await Task.WhenAll(sends);
    }

    private async Task<List<Task>> DispatchOneByOneAsync(List<PreparedDelivery> toSend, ClaimedBatch batch, ResultRecorder recorder, CancellationToken stopping)
    {
        var sends = new List<Task>(toSend.Count);
        for (var i = 0; i < toSend.Count; i++)
        {
            var (delivery, messages, _) = toSend[i];
            // A free place in flight first, then the slot: a send that had to wait for a place must not start in a
            // burst with others that waited too.
            if (!await TryEnterAsync(batch, stopping))
            {
                recorder.Add(new DeliveryResult(delivery, null));
                continue;
            }

            if (!await WaitForSlotAsync(batch, i, stopping))
            {
                inFlight.Release();
                recorder.Add(new DeliveryResult(delivery, null));
                continue;
            }

            sends.Add(Task.Run(async () =>
            {
                try
                {
                    var result = await SendOneAsync(delivery, messages);
                    recorder.Add(Judge(new DeliveryResult(delivery, result.Outcome, result.PartsDelivered), batch.IsProbe));
                }
                finally
                {
                    inFlight.Release();
                }
            }, CancellationToken.None));
        }

        return sends;
    }

    private async Task<List<Task>> DispatchGroupsAsync(
        IBatchChannelSender batchSender, List<PreparedDelivery> toSend, ClaimedBatch batch, ResultRecorder recorder, CancellationToken stopping)
    {
        // Preparation reuses message instances for equal content, so reference identity groups the recipients.
        var groups = toSend
            .GroupBy(p => p.Messages)
            .SelectMany(g => g.Chunk(batchSender.MaxBatchSize))
            .ToList();
        for (var i = 0; i < groups.Count; i++)
        {
            var group = groups[i];
            if ((batch.IsProbe && i > 0) || !await WaitForSlotAsync(batch, i, stopping))
            {
                foreach (var (delivery, _, _) in group)
                    recorder.Add(new DeliveryResult(delivery, null));
                continue;
            }

            var started = Stopwatch.GetTimestamp();
            IReadOnlyList<SendOutcome> outcomes;
            try
            {
                outcomes = await batchSender.SendBatchAsync(group.Select(g => g.Delivery.Recipient).ToList(), group[0].Messages, CancellationToken.None);
            }
            catch (Exception error)
            {
                outcomes = group.Select(_ => (SendOutcome)new SendOutcome.Ambiguous(Describe(error))).ToList();
            }

            // One call is one send for the failing streak, however many recipients it had: a group that got no answer
            // is sent again as that group (its clientmsgid lets WeChat refuse a repeat), not split by a probe.
            for (var j = 0; j < group.Length; j++)
            {
                metrics.Record(Sender.Channel, outcomes[j], Stopwatch.GetElapsedTime(started));
                recorder.Add(Judge(new DeliveryResult(group[j].Delivery, outcomes[j], outcomes[j] is SendOutcome.Delivered ? 1 : 0), batch.IsProbe, countsInStreak: j == 0));
            }
        }

        return [];
    }

    /// <summary>Waits for the send's slot; false when it no longer fits its window, the channel paused, or the host is stopping.</summary>
    private async Task<bool> WaitForSlotAsync(ClaimedBatch batch, int index, CancellationToken stopping)
    {
        try
        {
            return await pace.WaitAsync(batch, index, stopping);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>The send runs to its answer whatever happens to the host: a send cut off mid-way could arrive without its result being written.</summary>
    private async Task<SendResult> SendOneAsync(ClaimedDelivery delivery, IReadOnlyList<ReplyMessage> messages)
    {
        var started = Stopwatch.GetTimestamp();
        SendResult result;
        try
        {
            result = await Sender.SendAsync(delivery.Recipient, messages, delivery.PartsSent, CancellationToken.None);
        }
        catch (Exception error)
        {
            result = new SendResult(new SendOutcome.Ambiguous(Describe(error)), delivery.PartsSent);
        }

        metrics.Record(Sender.Channel, result.Outcome, Stopwatch.GetElapsedTime(started));
        if (result.Outcome is not SendOutcome.Delivered)
            logger.LogInformation("delivery: {Channel} chat {ChatId}: {Outcome}", Sender.Channel, delivery.Recipient.ChatId, result.Outcome);
        return result;
    }

    /// <summary>
    /// What a result means for the channel on this instance, applied at once; returns the result as it is to be
    /// recorded. A probe that fails, or any send while the channel goes down, loses no attempt.
    /// </summary>
    /// <param name="countsInStreak">False for the other recipients of one batch call, which failed as one send.</param>
    private DeliveryResult Judge(DeliveryResult result, bool probe, bool countsInStreak = true)
    {
        switch (result.Outcome)
        {
            case SendOutcome.Delivered:
                Interlocked.Exchange(ref failuresInARow, 0);
                if (probe)
                    BackUp();
                return result;
            // The platform answered about the probe's chat (blocked, moved, that chat's rate limit): the channel works again.
            case SendOutcome.ChatGone or SendOutcome.ChatMoved or SendOutcome.RetryAfter { Scope: RetryScope.Chat } when probe:
                BackUp();
                return result;
            case SendOutcome.RetryAfter { Scope: RetryScope.Channel } retry:
                PauseUntil(clock.GetUtcNow() + retry.Wait);
                logger.LogWarning("delivery: {Channel} is rate limited for {RetryAfter}; pausing the channel on every instance", Sender.Channel, retry.Wait);
                _ = UseHealthAsync(health => health.PauseAsync(Sender.Channel, retry.Wait, CancellationToken.None));
                return result;
            case SendOutcome.ChannelDown down:
                GoDown(down.Reason);
                return result;
            case SendOutcome.Transient or SendOutcome.Ambiguous:
                var reason = result.Outcome is SendOutcome.Transient t ? t.Reason : ((SendOutcome.Ambiguous)result.Outcome).Reason;
                if (probe)
                {
                    GoDown(reason);
                    // A send that may have arrived keeps its count, so no chat gets more than one extra copy.
                    return result.Outcome is SendOutcome.Transient ? result with { Outcome = new SendOutcome.ChannelDown(reason) } : result;
                }

                if (countsInStreak && Interlocked.Increment(ref failuresInARow) >= options.ChannelDownAfter)
                    GoDown($"{options.ChannelDownAfter} sends in a row failed, the last with: {reason}");
                return result;
            default:
                return result;
        }
    }

    private void BackUp()
    {
        DownUntil(null);
        _ = UseHealthAsync(health => health.MarkUpAsync(Sender.Channel, CancellationToken.None));
    }

    private void GoDown(string reason)
    {
        DownUntil(clock.GetUtcNow() + options.ProbeInterval);
        Interlocked.Exchange(ref failuresInARow, 0);
        _ = UseHealthAsync(health => health.MarkDownAsync(Sender.Channel, reason, CancellationToken.None));
    }

    private async Task UseHealthAsync(Func<ChannelHealth, Task> use)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await use(scope.ServiceProvider.GetRequiredService<ChannelHealth>());
        }
        catch (Exception error)
        {
            // The claim reads the shared state again; this instance already acts on it.
            logger.LogWarning(error, "delivery: unable to record the state of {Channel}", Sender.Channel);
        }
    }

    private async Task<bool> TryEnterAsync(ClaimedBatch batch, CancellationToken stopping)
    {
        try
        {
            await inFlight.WaitAsync(stopping);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            return false;
        }

        if (clock.GetUtcNow().UtcTicks >= PausedUntilTicks(batch))
            return true;
        inFlight.Release();
        return false;
    }

    private static string Describe(Exception error) => $"{error.GetType().Name}: {error.Message}";

    public void Dispose()
    {
        inFlight.Dispose();
        dispatching.Dispose();
    }
}
