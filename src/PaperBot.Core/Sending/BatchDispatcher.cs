using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PaperBot.Core.Commands;

namespace PaperBot.Core.Sending;

/// <summary>
/// Sends one channel's batches: each delivery at its slot (see <see cref="BatchPace"/>), with at most
/// <see cref="DeliveryOptions.MaxConcurrency"/> in flight; a batch channel gets one call per group of identical
/// messages instead. Batches start their sends one after another. A 429 pauses the channel here at once; the unsent
/// deliveries go back to the queue and the results writer pauses the channel for every instance.
/// </summary>
public sealed class BatchDispatcher : IDisposable
{
    private readonly DeliveryMetrics metrics;
    private readonly TimeProvider clock;
    private readonly ILogger logger;
    private readonly SemaphoreSlim inFlight;
    private readonly SemaphoreSlim dispatching = new(1, 1);
    private readonly BatchPace pace;
    private long pausedUntilTicks;

    public BatchDispatcher(IChannelSender sender, DeliveryMetrics metrics, IOptions<DeliveryOptions> options, TimeProvider clock, ILogger<BatchDispatcher> logger)
    {
        Sender = sender;
        this.metrics = metrics;
        this.clock = clock;
        this.logger = logger;
        inFlight = new SemaphoreSlim(options.Value.MaxConcurrency);
        pace = new BatchPace(clock, () => Interlocked.Read(ref pausedUntilTicks));
    }

    public IChannelSender Sender { get; }

    /// <summary>Sends the batch and records every delivery's result; returns when the last send has answered.</summary>
    public async Task DispatchAsync(ClaimedBatch batch, IReadOnlyList<PreparedDelivery> prepared, ResultRecorder recorder, CancellationToken stopping)
    {
        foreach (var skipped in prepared.Where(p => p.Messages.Count == 0))
            recorder.Add(new DeliveryResult(skipped.Delivery, null, Skipped: true));
        var toSend = prepared.Where(p => p.Messages.Count > 0).ToList();

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
            var (delivery, messages) = toSend[i];
            // A free place in flight first, then the slot: a send that had to wait for a place must not start in a
            // burst with others that waited too.
            if (!await TryEnterAsync(stopping))
            {
                recorder.Add(new DeliveryResult(delivery, null));
                continue;
            }

            if (!await pace.WaitAsync(batch, i, stopping))
            {
                inFlight.Release();
                recorder.Add(new DeliveryResult(delivery, null));
                continue;
            }

            sends.Add(Task.Run(async () =>
            {
                try
                {
                    var outcome = await SendOneAsync(delivery.Recipient, messages, stopping);
                    recorder.Add(new DeliveryResult(delivery, outcome));
                    if (outcome is SendOutcome.RateLimited limited)
                        Pause(limited);
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
            if (!await pace.WaitAsync(batch, i, stopping))
            {
                foreach (var (delivery, _) in group)
                    recorder.Add(new DeliveryResult(delivery, null));
                continue;
            }

            var started = Stopwatch.GetTimestamp();
            IReadOnlyList<SendOutcome> outcomes;
            try
            {
                outcomes = await batchSender.SendBatchAsync(group.Select(g => g.Delivery.Recipient).ToList(), group[0].Messages, stopping);
            }
            catch (Exception error) when (!stopping.IsCancellationRequested)
            {
                outcomes = group.Select(_ => (SendOutcome)new SendOutcome.Transient(Describe(error))).ToList();
            }

            for (var j = 0; j < group.Length; j++)
            {
                metrics.Record(Sender.Channel, outcomes[j], Stopwatch.GetElapsedTime(started));
                recorder.Add(new DeliveryResult(group[j].Delivery, outcomes[j]));
            }

            if (outcomes.OfType<SendOutcome.RateLimited>().FirstOrDefault() is { } limited)
                Pause(limited);
        }

        return [];
    }

    private async Task<SendOutcome> SendOneAsync(Recipient recipient, IReadOnlyList<ReplyMessage> messages, CancellationToken stopping)
    {
        var started = Stopwatch.GetTimestamp();
        SendOutcome outcome;
        try
        {
            outcome = await Sender.SendAsync(recipient, messages, stopping);
        }
        catch (Exception error) when (!stopping.IsCancellationRequested)
        {
            outcome = new SendOutcome.Transient(Describe(error));
        }

        metrics.Record(Sender.Channel, outcome, Stopwatch.GetElapsedTime(started));
        if (outcome is not SendOutcome.Sent)
            logger.LogInformation("delivery: {Channel} chat {ChatId}: {Outcome}", Sender.Channel, recipient.ChatId, outcome);
        return outcome;
    }

    private void Pause(SendOutcome.RateLimited limited)
    {
        var until = (clock.GetUtcNow() + limited.RetryAfter).UtcTicks;
        if (until > Interlocked.Read(ref pausedUntilTicks))
        {
            Interlocked.Exchange(ref pausedUntilTicks, until);
            logger.LogWarning("delivery: {Channel} is rate limited for {RetryAfter}; pausing the channel", Sender.Channel, limited.RetryAfter);
        }
    }

    private async Task<bool> TryEnterAsync(CancellationToken stopping)
    {
        await inFlight.WaitAsync(stopping);
        if (clock.GetUtcNow().UtcTicks >= Interlocked.Read(ref pausedUntilTicks))
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
