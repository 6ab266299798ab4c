using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PaperBot.Core.Commands;
using PaperBot.Core.Data;
using PaperBot.Core.Subscribers;

namespace PaperBot.Core.Delivery;

/// <summary>
/// One channel's side of the outbox: claim a batch with its send slots, send each delivery at its slot with bounded
/// concurrency, write the results back every quarter second, repeat. A 429 stops the rest of the batch at once;
/// the unsent deliveries go back to the queue and the channel's shared clock is paused for everyone.
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
    ILogger<ChannelSendLoop> logger)
{
    private static readonly TimeSpan IdlePoll = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan FlushInterval = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan QueueDepthInterval = TimeSpan.FromSeconds(5);

    private readonly Dictionary<int, Push> pushes = [];
    private DateTimeOffset queueDepthAt = DateTimeOffset.MinValue;

    public Channel Channel => sender.Channel;

    public async Task RunAsync(CancellationToken stopping)
    {
        await WithScopeAsync<DeliveryClaims, int>(claims => claims.ReleaseOwnAsync(Channel, stopping));
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                var batch = await WithScopeAsync<DeliveryClaims, ClaimedBatch>(claims => claims.ClaimAsync(Channel, stopping));
                await UpdateQueueDepthAsync(stopping);
                if (batch.NotBefore is { } notBefore)
                    await Task.Delay(Max(notBefore - clock.GetUtcNow(), TimeSpan.FromMilliseconds(50)), clock, stopping);
                else if (batch.Deliveries.Count == 0)
                    await signal.WaitAsync(IdlePoll, clock, stopping);
                else
                    await SendAsync(batch, stopping);
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

    private async Task SendAsync(ClaimedBatch batch, CancellationToken stopping)
    {
        await LoadPushesAsync(batch.Deliveries.Select(d => d.PushId).Distinct(), stopping);
        using var paused = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        var results = new ResultBuffer();
        using var flushing = new CancellationTokenSource();
        var flusher = FlushPeriodicallyAsync(results, flushing.Token);

        var prepared = batch.Deliveries.Select(d => (Delivery: d, Messages: digests.For(pushes[d.PushId], d.Recipient, d.Topics))).ToList();
        foreach (var skipped in prepared.Where(p => p.Messages.Count == 0))
            results.Add(new DeliveryResult(skipped.Delivery, null, Skipped: true));
        var toSend = prepared.Where(p => p.Messages.Count > 0).ToList();

        if (sender is IBatchChannelSender { MaxBatchSize: > 1 } batchSender)
            await SendInGroupsAsync(batchSender, toSend, batch, results, paused, stopping);
        else
            await SendOneByOneAsync(toSend, batch, results, paused, stopping);

        await flushing.CancelAsync();
        await flusher;
        await FlushAsync(results, CancellationToken.None);
    }

    private async Task SendOneByOneAsync(
        List<(ClaimedDelivery Delivery, IReadOnlyList<ReplyMessage> Messages)> toSend, ClaimedBatch batch, ResultBuffer results, CancellationTokenSource paused, CancellationToken stopping)
    {
        using var slots = new SemaphoreSlim(options.Value.MaxConcurrency);
        var inFlight = new List<Task>(toSend.Count);
        for (var i = 0; i < toSend.Count; i++)
        {
            var (delivery, messages) = toSend[i];
            if (!await WaitForSlotAsync(batch.Start + batch.Interval * i, paused.Token) || !await TryEnterAsync(slots, paused.Token))
            {
                results.Add(new DeliveryResult(delivery, null));
                continue;
            }

            inFlight.Add(Task.Run(async () =>
            {
                try
                {
                    var outcome = await SendOneAsync(delivery.Recipient, messages, stopping);
                    results.Add(new DeliveryResult(delivery, outcome));
                    if (outcome is SendOutcome.RateLimited limited)
                        await PauseAsync(limited, paused);
                }
                finally
                {
                    slots.Release();
                }
            }, CancellationToken.None));
        }

        await Task.WhenAll(inFlight);
    }

    private async Task SendInGroupsAsync(
        IBatchChannelSender batchSender, List<(ClaimedDelivery Delivery, IReadOnlyList<ReplyMessage> Messages)> toSend, ClaimedBatch batch,
        ResultBuffer results, CancellationTokenSource paused, CancellationToken stopping)
    {
        var groups = toSend
            .GroupBy(p => ContentKey(p.Messages))
            .SelectMany(g => g.Chunk(batchSender.MaxBatchSize))
            .ToList();
        for (var i = 0; i < groups.Count; i++)
        {
            var group = groups[i];
            if (!await WaitForSlotAsync(batch.Start + batch.Interval * i, paused.Token))
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
                await PauseAsync(limited, paused);
        }
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

    private async Task PauseAsync(SendOutcome.RateLimited limited, CancellationTokenSource paused)
    {
        logger.LogWarning("delivery: {Channel} is rate limited for {RetryAfter}; pausing the channel", Channel, limited.RetryAfter);
        await paused.CancelAsync();
    }

    private async Task<bool> WaitForSlotAsync(DateTimeOffset slot, CancellationToken paused)
    {
        var wait = slot - clock.GetUtcNow();
        try
        {
            if (wait > TimeSpan.Zero)
                await Task.Delay(wait, clock, paused);
            return !paused.IsCancellationRequested;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static async Task<bool> TryEnterAsync(SemaphoreSlim slots, CancellationToken paused)
    {
        try
        {
            await slots.WaitAsync(paused);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private async Task FlushPeriodicallyAsync(ResultBuffer results, CancellationToken done)
    {
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

    private static string ContentKey(IReadOnlyList<ReplyMessage> messages) =>
        string.Join("\u0001", messages.Select(m => m.ToPlainText() + "\u0002" + string.Join("|", m.Buttons.SelectMany(r => r).Select(b => b.Url ?? b.Data))));

    private static string Describe(Exception error) => $"{error.GetType().Name}: {error.Message}";

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private sealed class ResultBuffer
    {
        private readonly Lock gate = new();
        private List<DeliveryResult> results = [];

        public SemaphoreSlim Writing { get; } = new(1, 1);

        public void Add(DeliveryResult result)
        {
            lock (gate)
                results.Add(result);
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
