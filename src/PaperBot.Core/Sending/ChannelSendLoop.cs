using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PaperBot.Core.Commands;
using PaperBot.Core.Data;
using PaperBot.Core.Publishing;
using PaperBot.Core.Subscribers;

namespace PaperBot.Core.Sending;

/// <summary>
/// One channel's side of the outbox: claim a batch with its send slots, send each delivery at its slot with bounded
/// concurrency, write the results back every quarter second, repeat. Batches are claimed up to a second ahead of
/// their slots and prepared meanwhile, so a push runs at the configured rate without gaps between batches.
/// Sends keep their spacing within the batch's window, never bunching up when late (see <see cref="BatchPace"/>). A 429 stops sending at
/// once: the unsent deliveries go back to the queue and the channel's shared clock is paused for every instance.
/// </summary>
public sealed class ChannelSendLoop(
    IChannelSender sender,
    IServiceScopeFactory scopes,
    DigestMessages digests,
    ChatPacing pacing,
    DeliverySignal signal,
    DeliveryMetrics metrics,
    IOptions<DeliveryOptions> options,
    TimeProvider clock,
    ILogger<ChannelSendLoop> logger) : IDisposable
{
    private static readonly TimeSpan IdlePoll = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan FlushInterval = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan QueueDepthInterval = TimeSpan.FromSeconds(5);

    /// <summary>Batches claimed ahead and sending at once; the claims' send slots keep them from overlapping.</summary>
    private const int MaxOutstandingBatches = 3;

    private readonly Dictionary<int, Push> pushes = [];
    private readonly SemaphoreSlim inFlight = new(options.Value.MaxConcurrency);
    private readonly SemaphoreSlim dispatching = new(1, 1);
    private DateTimeOffset queueDepthAt = DateTimeOffset.MinValue;
    private BatchPace? pace;
    private long pausedUntilTicks;

    public Channel Channel => sender.Channel;

    private BatchPace Pace => pace ??= new BatchPace(clock, () => Interlocked.Read(ref pausedUntilTicks));

    public async Task RunAsync(CancellationToken stopping)
    {
        await WithScopeAsync<DeliveryClaims, int>(claims => claims.ReleaseOwnAsync(Channel, stopping));
        var outstanding = new List<Task>();
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                try
                {
                    outstanding.RemoveAll(t => t.IsCompleted);
                    if (outstanding.Count >= MaxOutstandingBatches)
                        await Task.WhenAny(outstanding);

                    var batch = await WithScopeAsync<DeliveryClaims, ClaimedBatch>(claims => claims.ClaimAsync(Channel, stopping));
                    await UpdateQueueDepthAsync(stopping);
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
        }
    }

    /// <summary>Loads and renders the batch, then sends it in the background at its slots; returns the task of its end.</summary>
    private async Task<Task> StartAsync(ClaimedBatch batch, CancellationToken stopping)
    {
        await LoadPushesAsync(batch.Deliveries.Select(d => d.PushId).Distinct(), stopping);
        var rendered = new Dictionary<string, IReadOnlyList<ReplyMessage>>();
        var prepared = batch.Deliveries.Select(d => (Delivery: d, Messages: Render(d, rendered))).ToList();
        return Task.Run(() => DispatchAsync(batch, prepared, stopping), CancellationToken.None);
    }

    /// <summary>
    /// Sends every delivery of the batch at its slot, then writes what is left of the results. Batches start their
    /// sends one after another (the next one's may begin while this one's last sends are still answering).
    /// </summary>
    private async Task DispatchAsync(ClaimedBatch batch, List<(ClaimedDelivery Delivery, IReadOnlyList<ReplyMessage> Messages)> prepared, CancellationToken stopping)
    {
        var results = new ResultBuffer();
        var flushing = new CancellationTokenSource();
        var flusher = FlushPeriodicallyAsync(results, batch.Deliveries.Select(d => d.Id).ToList(), flushing.Token);
        foreach (var skipped in prepared.Where(p => p.Messages.Count == 0))
            results.Add(new DeliveryResult(skipped.Delivery, null, Skipped: true));
        var toSend = prepared.Where(p => p.Messages.Count > 0).ToList();

        List<Task> sends;
        await dispatching.WaitAsync(CancellationToken.None);
        try
        {
            sends = sender is IBatchChannelSender { MaxBatchSize: > 1 } batchSender
                ? await DispatchGroupsAsync(batchSender, toSend, batch, results, stopping)
                : await DispatchOneByOneAsync(toSend, batch, results, stopping);
        }
        finally
        {
            dispatching.Release();
        }

        await FinishAsync(sends, results, flushing, flusher);
        if (results.Returned > 0)
            logger.LogInformation("delivery: {Channel} handed {Returned} of {Claimed} deliveries back to the queue (late for their send window, or paused)",
                Channel, results.Returned, batch.Deliveries.Count);
    }

    private async Task FinishAsync(List<Task> sends, ResultBuffer results, CancellationTokenSource flushing, Task flusher)
    {
        await Task.WhenAll(sends);
        await flushing.CancelAsync();
        await flusher;
        flushing.Dispose();
        await FlushAsync(results, CancellationToken.None);
    }

    /// <summary>Recipients with the same language, kind and topic filter get the very same messages: rendered once per batch.</summary>
    private IReadOnlyList<ReplyMessage> Render(ClaimedDelivery delivery, Dictionary<string, IReadOnlyList<ReplyMessage>> rendered)
    {
        var key = $"{delivery.PushId}|{delivery.Recipient.Language}|{delivery.Recipient.Kind == ChatKind.Channel}|{string.Join(',', delivery.Topics.Order(StringComparer.Ordinal))}";
        if (!rendered.TryGetValue(key, out var messages))
            rendered[key] = messages = digests.For(pushes[delivery.PushId], delivery.Recipient, delivery.Topics);
        return messages;
    }

    private async Task<List<Task>> DispatchOneByOneAsync(
        List<(ClaimedDelivery Delivery, IReadOnlyList<ReplyMessage> Messages)> toSend, ClaimedBatch batch, ResultBuffer results, CancellationToken stopping)
    {
        var sends = new List<Task>(toSend.Count);
        for (var i = 0; i < toSend.Count; i++)
        {
            var (delivery, messages) = toSend[i];
            // A free place in flight first, then the slot: a send that had to wait for a place must not start in a
            // burst with others that waited too.
            if (!await TryEnterAsync(stopping))
            {
                results.Add(new DeliveryResult(delivery, null));
                continue;
            }

            if (!await Pace.WaitAsync(batch, i, stopping))
            {
                inFlight.Release();
                results.Add(new DeliveryResult(delivery, null));
                continue;
            }

            sends.Add(Task.Run(async () =>
            {
                try
                {
                    var outcome = await SendOneAsync(delivery.Recipient, messages, stopping);
                    results.Add(new DeliveryResult(delivery, outcome));
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
        IBatchChannelSender batchSender, List<(ClaimedDelivery Delivery, IReadOnlyList<ReplyMessage> Messages)> toSend, ClaimedBatch batch,
        ResultBuffer results, CancellationToken stopping)
    {
        // Rendering reuses message instances for equal content, so reference identity groups the recipients.
        var groups = toSend
            .GroupBy(p => p.Messages)
            .SelectMany(g => g.Chunk(batchSender.MaxBatchSize))
            .ToList();
        for (var i = 0; i < groups.Count; i++)
        {
            var group = groups[i];
            if (!await Pace.WaitAsync(batch, i, stopping))
            {
                foreach (var (delivery, _) in group)
                    results.Add(new DeliveryResult(delivery, null));
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
                metrics.Record(Channel, outcomes[j], Stopwatch.GetElapsedTime(started));
                results.Add(new DeliveryResult(group[j].Delivery, outcomes[j]));
            }

            if (outcomes.OfType<SendOutcome.RateLimited>().FirstOrDefault() is { } limited)
                Pause(limited);
        }

        return [];
    }

    private async Task<SendOutcome> SendOneAsync(Recipient recipient, IReadOnlyList<ReplyMessage> messages, CancellationToken stopping)
    {
        await pacing.WaitTurnAsync(recipient, stopping);
        var started = Stopwatch.GetTimestamp();
        SendOutcome outcome;
        try
        {
            outcome = await sender.SendAsync(recipient, messages, stopping);
        }
        catch (Exception error) when (!stopping.IsCancellationRequested)
        {
            outcome = new SendOutcome.Transient(Describe(error));
        }

        metrics.Record(Channel, outcome, Stopwatch.GetElapsedTime(started));
        if (outcome is not SendOutcome.Sent)
            logger.LogInformation("delivery: {Channel} chat {ChatId}: {Outcome}", Channel, recipient.ChatId, outcome);
        return outcome;
    }

    private void Pause(SendOutcome.RateLimited limited)
    {
        var until = (clock.GetUtcNow() + limited.RetryAfter).UtcTicks;
        if (until > Interlocked.Read(ref pausedUntilTicks))
        {
            Interlocked.Exchange(ref pausedUntilTicks, until);
            logger.LogWarning("delivery: {Channel} is rate limited for {RetryAfter}; pausing the channel", Channel, limited.RetryAfter);
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

    /// <summary>Writes results every quarter second, and renews the batch's claim a few times per lease.</summary>
    private async Task FlushPeriodicallyAsync(ResultBuffer results, IReadOnlyCollection<long> claimed, CancellationToken done)
    {
        var renewEvery = options.Value.ClaimLease / 3;
        var renewedAt = clock.GetUtcNow();
        while (!done.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(FlushInterval, clock, done);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            await FlushAsync(results, CancellationToken.None);
            if (clock.GetUtcNow() - renewedAt >= renewEvery)
            {
                renewedAt = clock.GetUtcNow();
                await WithScopeAsync<DeliveryClaims, int>(claims => claims.RenewAsync(claimed, CancellationToken.None));
            }
        }
    }

    private async Task FlushAsync(ResultBuffer results, CancellationToken cancellationToken)
    {
        await results.Writing.WaitAsync(cancellationToken);
        try
        {
            var taken = results.TakeAll();
            if (taken.Count > 0)
                await WithScopeAsync<DeliveryResults, bool>(async writer =>
                {
                    await writer.WriteAsync(Channel, taken, cancellationToken);
                    return true;
                });
        }
        finally
        {
            results.Writing.Release();
        }
    }

    private async Task LoadPushesAsync(IEnumerable<int> ids, CancellationToken cancellationToken)
    {
        var missing = ids.Where(id => !pushes.ContainsKey(id)).ToList();
        if (missing.Count == 0)
            return;
        if (pushes.Count > 32)
            pushes.Clear();
        var loaded = await WithScopeAsync<PaperBotDbContext, List<Push>>(db => db.Pushes.AsNoTracking().AsSplitQuery()
            .Include(p => p.Issue).ThenInclude(i => i!.Papers.OrderBy(p => p.Number)).ThenInclude(p => p.Topics)
            .Where(p => missing.Contains(p.Id))
            .ToListAsync(cancellationToken));
        foreach (var push in loaded)
            pushes[push.Id] = push;
    }

    private async Task UpdateQueueDepthAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (now - queueDepthAt < QueueDepthInterval)
            return;
        queueDepthAt = now;
        var channel = Channel;
        var depth = await WithScopeAsync<PaperBotDbContext, int>(db =>
            db.Deliveries.CountAsync(d => d.Status == DeliveryStatus.Pending && d.Subscriber!.Channel == channel, cancellationToken));
        metrics.QueueDepth(Channel, depth);
    }

    private async Task<TResult> WithScopeAsync<TService, TResult>(Func<TService, Task<TResult>> use)
        where TService : notnull
    {
        await using var scope = scopes.CreateAsyncScope();
        return await use(scope.ServiceProvider.GetRequiredService<TService>());
    }

    public void Dispose()
    {
        inFlight.Dispose();
        dispatching.Dispose();
    }

    private static string Describe(Exception error) => $"{error.GetType().Name}: {error.Message}";

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private sealed class ResultBuffer
    {
        private readonly Lock gate = new();
        private List<DeliveryResult> results = [];

        public SemaphoreSlim Writing { get; } = new(1, 1);

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

        public List<DeliveryResult> TakeAll()
        {
            lock (gate)
            {
                var taken = results;
                results = [];
                return taken;
            }
        }
    }
}
