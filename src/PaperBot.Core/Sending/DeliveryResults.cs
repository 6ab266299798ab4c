using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PaperBot.Core.Data;
using PaperBot.Core.Subscribers;

namespace PaperBot.Core.Sending;

/// <summary>What became of one claimed delivery; <see cref="Outcome"/> is null when it was never tried (the channel paused).</summary>
public sealed record DeliveryResult(ClaimedDelivery Delivery, SendOutcome? Outcome, bool Skipped = false);

/// <summary>
/// Writes a batch of send results in a few set-based statements, so status writes stay cheap at thousands of
/// messages a second; then marks pushes complete whose last pending delivery is done.
/// </summary>
public sealed class DeliveryResults(PaperBotDbContext db, TimeProvider clock, IOptions<DeliveryOptions> options)
{
    public const int MaxErrorLength = 500;

    public async Task WriteAsync(Channel channel, IReadOnlyList<DeliveryResult> results, CancellationToken cancellationToken)
    {
        if (results.Count == 0)
            return;
        var now = clock.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);

        await SetAsync(Ids(results, r => r.Skipped), DeliveryStatus.Skipped, null, now, countsAttempt: false, cancellationToken);
        await SetAsync(Ids(results, r => r.Outcome is SendOutcome.Sent), DeliveryStatus.Sent, null, now, countsAttempt: true, cancellationToken);
        await ReleaseAsync(Ids(results, r => r.Outcome is null && !r.Skipped), cancellationToken);

        foreach (var group in results.Where(r => r.Outcome is SendOutcome.Deferred).GroupBy(r => ((SendOutcome.Deferred)r.Outcome!).Reason))
            await SetAsync(group.Select(r => r.Delivery.Id).ToList(), DeliveryStatus.Waiting, group.Key, now, countsAttempt: false, cancellationToken);

        foreach (var group in results.Where(r => r.Outcome is SendOutcome.Failed).GroupBy(r => ((SendOutcome.Failed)r.Outcome!).Reason))
            await SetAsync(group.Select(r => r.Delivery.Id).ToList(), DeliveryStatus.Failed, group.Key, now, countsAttempt: true, cancellationToken);

        foreach (var group in results.Where(r => r.Outcome is SendOutcome.Blocked).GroupBy(r => ((SendOutcome.Blocked)r.Outcome!).Reason))
        {
            await SetAsync(group.Select(r => r.Delivery.Id).ToList(), DeliveryStatus.Blocked, group.Key, now, countsAttempt: true, cancellationToken);
            var subscribers = group.Select(r => r.Delivery.Recipient.SubscriberId).Distinct().ToList();
            await db.Subscribers.Where(s => subscribers.Contains(s.Id))
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.Status, SubscriberStatus.Blocked), cancellationToken);
        }

        foreach (var result in results.Where(r => r.Outcome is SendOutcome.Transient))
            await RetryLaterAsync(result.Delivery, ((SendOutcome.Transient)result.Outcome!).Reason, now, cancellationToken);

        foreach (var result in results.Where(r => r.Outcome is SendOutcome.RateLimited))
            await WaitForRateLimitAsync(channel, result.Delivery, (SendOutcome.RateLimited)result.Outcome!, now, cancellationToken);

        foreach (var result in results.Where(r => r.Outcome is SendOutcome.Moved))
            await MoveAsync(result.Delivery, ((SendOutcome.Moved)result.Outcome!).NewChatId, cancellationToken);

        var pushes = results.Select(r => r.Delivery.PushId).Distinct().ToList();
        await db.Pushes
            .Where(p => pushes.Contains(p.Id) && p.CompletedAt == null && p.QueuedAt != null && !p.Deliveries.Any(d => d.Status == DeliveryStatus.Pending))
            .ExecuteUpdateAsync(p => p.SetProperty(x => x.CompletedAt, now), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private static List<long> Ids(IReadOnlyList<DeliveryResult> results, Func<DeliveryResult, bool> which) =>
        results.Where(which).Select(r => r.Delivery.Id).ToList();

    private Task SetAsync(List<long> ids, DeliveryStatus status, string? error, DateTimeOffset now, bool countsAttempt, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
            return Task.CompletedTask;
        var attempt = countsAttempt ? 1 : 0;
        var sentAt = status == DeliveryStatus.Sent ? now : (DateTimeOffset?)null;
        var lastError = Shorten(error);
        return db.Deliveries.Where(d => ids.Contains(d.Id)).ExecuteUpdateAsync(d => d
            .SetProperty(x => x.Status, status)
            .SetProperty(x => x.Attempts, x => x.Attempts + attempt)
            .SetProperty(x => x.SentAt, x => sentAt ?? x.SentAt)
            .SetProperty(x => x.LastError, lastError)
            .SetProperty(x => x.NextAttemptAt, (DateTimeOffset?)null)
            .SetProperty(x => x.ClaimedBy, (string?)null)
            .SetProperty(x => x.ClaimedUntil, (DateTimeOffset?)null), cancellationToken);
    }

    private Task ReleaseAsync(List<long> ids, CancellationToken cancellationToken) =>
        ids.Count == 0
            ? Task.CompletedTask
            : db.Deliveries.Where(d => ids.Contains(d.Id)).ExecuteUpdateAsync(d => d
                .SetProperty(x => x.ClaimedBy, (string?)null)
                .SetProperty(x => x.ClaimedUntil, (DateTimeOffset?)null), cancellationToken);

    /// <summary>Exponential backoff from <see cref="DeliveryOptions.RetryDelay"/>, at most 10 min; after the last attempt the delivery fails with the reason.</summary>
    private Task RetryLaterAsync(ClaimedDelivery delivery, string reason, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var attempts = delivery.Attempts + 1;
        if (attempts >= options.Value.MaxAttempts)
            return SetAsync([delivery.Id], DeliveryStatus.Failed, $"gave up after {attempts} attempts: {reason}", now, countsAttempt: true, cancellationToken);
        var next = now + Backoff(options.Value.RetryDelay, attempts);
        var lastError = Shorten(reason);
        return db.Deliveries.Where(d => d.Id == delivery.Id).ExecuteUpdateAsync(d => d
            .SetProperty(x => x.Attempts, attempts)
            .SetProperty(x => x.LastError, lastError)
            .SetProperty(x => x.NextAttemptAt, next)
            .SetProperty(x => x.ClaimedBy, (string?)null)
            .SetProperty(x => x.ClaimedUntil, (DateTimeOffset?)null), cancellationToken);
    }

    public static TimeSpan Backoff(TimeSpan first, int attempts) => TimeSpan.FromSeconds(Math.Min(600, first.TotalSeconds * Math.Pow(2, attempts - 1)));

    /// <summary>A 429 is the platform's, not the message's, fault: the delivery waits without losing an attempt, and the whole channel pauses.</summary>
    private async Task WaitForRateLimitAsync(Channel channel, ClaimedDelivery delivery, SendOutcome.RateLimited limited, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var until = now + limited.RetryAfter;
        var lastError = Shorten(limited.Reason);
        await db.Deliveries.Where(d => d.Id == delivery.Id).ExecuteUpdateAsync(d => d
            .SetProperty(x => x.LastError, lastError)
            .SetProperty(x => x.NextAttemptAt, until)
            .SetProperty(x => x.ClaimedBy, (string?)null)
            .SetProperty(x => x.ClaimedUntil, (DateTimeOffset?)null), cancellationToken);
        await db.ChannelThrottles
            .Where(t => t.Channel == channel && (t.PausedUntil == null || t.PausedUntil < until))
            .ExecuteUpdateAsync(t => t.SetProperty(x => x.PausedUntil, until), cancellationToken);
    }

    /// <summary>A group that became a supergroup: the subscriber follows it, and the delivery is tried again there.</summary>
    private async Task MoveAsync(ClaimedDelivery delivery, string newChatId, CancellationToken cancellationToken)
    {
        var subscriberId = delivery.Recipient.SubscriberId;
        var taken = await db.Subscribers.AnyAsync(s => s.Channel == delivery.Recipient.Channel && s.ChatId == newChatId, cancellationToken);
        if (!taken)
        {
            await db.Subscribers.Where(s => s.Id == subscriberId)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.ChatId, newChatId).SetProperty(x => x.Kind, ChatKind.Group), cancellationToken);
        }

        await db.Deliveries.Where(d => d.Id == delivery.Id).ExecuteUpdateAsync(d => d
            .SetProperty(x => x.Status, taken ? DeliveryStatus.Skipped : DeliveryStatus.Pending)
            .SetProperty(x => x.LastError, taken ? $"chat moved to {newChatId}, which already has a subscription" : $"chat moved to {newChatId}")
            .SetProperty(x => x.ClaimedBy, (string?)null)
            .SetProperty(x => x.ClaimedUntil, (DateTimeOffset?)null), cancellationToken);
    }

    private static string? Shorten(string? error) => error is { Length: > MaxErrorLength } ? error[..MaxErrorLength] : error;
}
