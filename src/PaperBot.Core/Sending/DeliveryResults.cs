using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PaperBot.Core.Data;
using PaperBot.Core.Subscribers;

namespace PaperBot.Core.Sending;

/// <summary>
/// What became of one claimed delivery: the channel's outcome and the parts now in the chat; no outcome when it was
/// never tried (late for its slot, or the channel paused); skipped, and why, when it was not to be sent at all.
/// </summary>
public sealed record DeliveryResult(ClaimedDelivery Delivery, SendOutcome? Outcome, int PartsDelivered = 0, string? SkippedBecause = null)
{
    public bool Skipped => SkippedBecause is not null;
}

/// <summary>
/// Writes a batch of send results — what each outcome means for the delivery, as docs/delivery.md states it — in a few
/// set-based statements, so status writes stay cheap at thousands of messages a second; applies what an outcome means
/// for the chat through <see cref="ChatLifecycle"/>; then marks pushes complete whose last pending delivery is done.
/// A result that leaves its delivery pending (handed back, to be tried again) is written only while this instance still
/// holds the claim: once the lease ran out (the database away longer than it) another instance may have claimed the
/// delivery and be sending it, and clearing that claim would let a third send it again. A failure is not written while
/// that other instance holds the delivery either: its send tells what became of it, and of the chat.
/// </summary>
public sealed class DeliveryResults(
    PaperBotDbContext db, StorageDialect dialect, ChatLifecycle chats, InstanceIdentity instance, TimeProvider clock, IOptions<DeliveryOptions> options)
{
    public const int MaxErrorLength = 500;
    public const string NothingMatches = "no paper of the issue matches the subscriber's topics";
    public const string NoLongerSubscribed = "the subscriber was no longer subscribed when its turn came";

    /// <summary>The receipts' channel under which <see cref="KeepMassSendFailureAsync"/> keeps its reports.</summary>
    public const string KeptMassSendFailures = "masssend-failed";

    private DeliveryOptions Options => options.Value;

    /// <summary>One statement's worth of identical changes.</summary>
    private sealed record Change(
        DeliveryStatus Status, string? Error, int Attempts, int Ambiguous, int PartsSent, DateTimeOffset? NextAttemptAt, DateTimeOffset? SentAt,
        long? MassSendMsgId = null);

    public async Task WriteAsync(Channel channel, IReadOnlyList<DeliveryResult> results, CancellationToken cancellationToken)
    {
        if (results.Count == 0)
            return;
        var now = clock.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await LockTalliesAsync(db, dialect, results.Select(r => r.Delivery.PushId).Distinct().ToList(), channel, cancellationToken);
        results = await RecountAsync(results, cancellationToken);

        var moved = results.Where(r => r.Outcome is SendOutcome.ChatMoved).ToList();
        foreach (var result in moved)
            await MoveAsync(channel, result, ((SendOutcome.ChatMoved)result.Outcome!).NewChatId, now, cancellationToken);

        var gone = new List<(string Reason, List<int> SubscriberIds)>();
        foreach (var group in results.Except(moved).GroupBy(r => Decide(r, now)))
        {
            var ids = group.Select(r => r.Delivery.Id).ToList();
            if (group.Key is { } change)
            {
                // A chat gone stops its subscriber only when its delivery ends blocked by it: a late result, from an
                // instance whose claim ran out, for a delivery the instance that took it over delivered (or is sending),
                // says nothing about the chat now, which that send reached.
                if (change.Status == DeliveryStatus.Blocked)
                    gone.Add((change.Error!, await Writable(ids, change, now).Select(d => d.SubscriberId).Distinct().ToListAsync(cancellationToken)));
                await SetAsync(ids, change, now, cancellationToken);
            }
            else
            {
                await ReleaseAsync(ids, cancellationToken);
            }
        }

        foreach (var (reason, subscriberIds) in gone.Where(g => g.SubscriberIds.Count > 0))
            await chats.MarkGoneAsync(subscriberIds, reason, cancellationToken);

        await ApplyKeptMassSendFailuresAsync(results, cancellationToken);
        await CompleteFinishedAsync(results.Select(r => r.Delivery.PushId).Distinct().ToList(), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// A mass send the channel accepted, which its later report says went to no one (WeChat's MASSSENDJOBFINISH with
    /// "send fail" or "err(…)"): the deliveries it carried and still marked sent by it fail with <paramref name="reason"/>,
    /// nothing of them in the chat. They are not tried again by themselves (a send the platform's check refused would be
    /// refused again, and spend the account's mass sends): the admin's resend queues them. A msg_id no delivery carries,
    /// or a report again, changes nothing. Returns the deliveries failed.
    /// </summary>
    public Task<int> FailMassSendAsync(long msgId, string reason, CancellationToken cancellationToken) =>
        db.Deliveries
            .Where(d => d.MassSendMsgId == msgId && d.Status == DeliveryStatus.Sent)
            .ExecuteUpdateAsync(d => d
                .SetProperty(x => x.Status, DeliveryStatus.Failed)
                .SetProperty(x => x.LastError, Shorten(reason))
                .SetProperty(x => x.PartsSent, 0)
                .SetProperty(x => x.SentAt, (DateTimeOffset?)null), cancellationToken);

    /// <summary>
    /// Keeps a report that mass send <paramref name="msgId"/> went to no one, which came before any delivery was recorded as
    /// sent by it: the result that records one fails it in the same transaction, whichever instance writes it and however
    /// often the bot was restarted meanwhile. Stored as an inbound receipt of its own (keyed by the msg_id, the reason as
    /// its answer), so housekeeping removes it with the other receipts; a report kept once more changes nothing.
    /// </summary>
    public async Task KeepMassSendFailureAsync(long msgId, string reason, CancellationToken cancellationToken)
    {
        var key = msgId.ToString(CultureInfo.InvariantCulture);
        var response = Shorten(reason);
        await db.Database.ExecuteSqlAsync(
            $"""
            INSERT INTO "InboundReceipts" ("Channel", "MessageKey", "ReceivedAt", "Response") VALUES ({KeptMassSendFailures}, {key}, {dialect.Time(clock.GetUtcNow())}, {response})
            ON CONFLICT DO NOTHING
            """,
            cancellationToken);
    }

    /// <summary>The deliveries just recorded as sent by a mass send whose failure report came first fail with its reason.</summary>
    private async Task ApplyKeptMassSendFailuresAsync(IReadOnlyList<DeliveryResult> results, CancellationToken cancellationToken)
    {
        var keys = results.Select(r => r.Outcome).OfType<SendOutcome.Delivered>().Select(d => d.MassSendMsgId).OfType<long>().Distinct()
            .Select(id => id.ToString(CultureInfo.InvariantCulture)).ToList();
        if (keys.Count == 0)
            return;
        var kept = await db.InboundReceipts.AsNoTracking()
            .Where(r => r.Channel == KeptMassSendFailures && keys.Contains(r.MessageKey) && r.Response != null)
            .Select(r => new { r.MessageKey, r.Response })
            .ToListAsync(cancellationToken);
        foreach (var report in kept)
            await FailMassSendAsync(long.Parse(report.MessageKey, CultureInfo.InvariantCulture), report.Response!, cancellationToken);
    }

    /// <summary>
    /// Locks the tallies of <paramref name="pushIds"/> (of <paramref name="channel"/>, or of every channel) until the
    /// transaction ends, in one order: PushId, then Channel. Everything that changes the status of deliveries other
    /// instances or an admin may change at the same moment (the result writer, a resend) takes them first, before any
    /// delivery: the database's tally trigger locks them after a delivery anyway, and deliveries taken in different
    /// orders by two such transactions deadlock on PostgreSQL. This way the second waits for the first before it holds
    /// any delivery. SQLite's transactions hold the whole file from their start.
    /// </summary>
    public static async Task LockTalliesAsync(PaperBotDbContext db, StorageDialect dialect, IReadOnlyCollection<int> pushIds, Channel? channel, CancellationToken cancellationToken)
    {
        if (pushIds.Count == 0 || dialect.LockRow.Length == 0)
            return;
        var parameters = pushIds.Select(id => (object)id).Concat(channel is { } only ? [only.ToString()] : []).ToArray();
        var placeholders = string.Join(", ", pushIds.Select((_, i) => $"{{{i}}}"));
        var ofChannel = channel is null ? "" : $$"""AND "Channel" = {{{pushIds.Count}}}""";
#pragma warning disable EF1002 // the placeholders are numbered parameters, the lock clause one of the dialect's constants
        await db.Database.SqlQueryRaw<int>(
                $$"""SELECT 1 AS "Value" FROM "PushTallies" WHERE "PushId" IN ({{placeholders}}) {{ofChannel}} ORDER BY "PushId", "Channel" {{dialect.LockRow}}""",
                parameters)
            .ToListAsync(cancellationToken);
#pragma warning restore EF1002
    }

    /// <summary>Marks complete the queued pushes (of <paramref name="pushIds"/>, or all) that have nothing pending left.</summary>
    public Task<int> CompleteFinishedAsync(IReadOnlyCollection<int>? pushIds, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        return db.Pushes
            .Where(p => (pushIds == null || pushIds.Contains(p.Id)) && p.CompletedAt == null && p.QueuedAt != null
                && !db.PushTallies.Any(t => t.PushId == p.Id && t.Pending > 0))
            .ExecuteUpdateAsync(p => p.SetProperty(x => x.CompletedAt, now), cancellationToken);
    }

    /// <summary>The change an outcome makes to its delivery; null for a delivery only handed back (never tried, or the channel is down).</summary>
    private Change? Decide(DeliveryResult result, DateTimeOffset now)
    {
        var delivery = result.Delivery;
        var parts = Math.Max(result.PartsDelivered, delivery.PartsSent);
        if (result.SkippedBecause is { } reason)
            return new Change(DeliveryStatus.Skipped, reason, 0, 0, 0, null, null);
        return result.Outcome switch
        {
            null => null,
            SendOutcome.ChannelDown when parts == delivery.PartsSent => null,
            // Handed back too, but the parts that reached the chat before the channel went down are kept: the next try
            // starts after them.
            SendOutcome.ChannelDown down => new Change(DeliveryStatus.Pending, down.Reason, 0, 0, parts, null, null),
            SendOutcome.Delivered delivered => new Change(DeliveryStatus.Sent, null, 1, 0, parts, null, now, delivered.MassSendMsgId),
            SendOutcome.Ambiguous ambiguous when delivery.AmbiguousSends + 1 > Options.MaxAmbiguousRetries =>
                new Change(DeliveryStatus.Failed, $"no answer from the channel {delivery.AmbiguousSends + 1} times; it may have arrived: {ambiguous.Reason}", 1, 1, parts, null, null),
            SendOutcome.Ambiguous ambiguous => new Change(DeliveryStatus.Pending, $"no answer, sent again once: {ambiguous.Reason}", 1, 1, parts, now + Options.RetryDelay, null),
            SendOutcome.Transient transient when delivery.Attempts + 1 >= Options.MaxAttempts =>
                new Change(DeliveryStatus.Failed, $"gave up after {delivery.Attempts + 1} attempts: {transient.Reason}", 1, 0, parts, null, null),
            SendOutcome.Transient transient => new Change(DeliveryStatus.Pending, transient.Reason, 1, 0, parts, now + Backoff(Options.RetryDelay, delivery.Attempts + 1), null),
            // The platform's fault, not the message's: the delivery waits without losing an attempt.
            SendOutcome.RetryAfter retry => new Change(DeliveryStatus.Pending, retry.Reason, 0, 0, parts, now + retry.Wait, null),
            SendOutcome.ChatGone gone => new Change(DeliveryStatus.Blocked, gone.Reason, 1, 0, parts, null, null),
            SendOutcome.Failed failed => new Change(DeliveryStatus.Failed, failed.Reason, 1, 0, parts, null, null),
            // Offered with the next message: a waiting delivery's PartsSent counts the characters of an announcement
            // shown so far — those its parts pushed before the channel stopped (WeChat's 20 messages since the
            // subscriber last wrote), as the sender counted them — not the parts.
            SendOutcome.Deferred deferred => new Change(DeliveryStatus.Waiting, deferred.Reason, 0, 0, Math.Max(deferred.Shown, 0), null, null),
            _ => throw new InvalidOperationException($"no rule for {result.Outcome}"),
        };
    }

    /// <summary>
    /// The results judged by how often their delivery was tried, with the counts as they are now rather than as they were
    /// claimed: an admin's resend while the send was out started the delivery's attempts again, and the send's failure
    /// must not give up on it for the attempts before. The rows stay locked until the results are written.
    /// </summary>
    private async Task<IReadOnlyList<DeliveryResult>> RecountAsync(IReadOnlyList<DeliveryResult> results, CancellationToken cancellationToken)
    {
        var ids = results.Where(r => r is { Skipped: false, Outcome: SendOutcome.Transient or SendOutcome.Ambiguous or SendOutcome.ChatGone }).Select(r => (object)r.Delivery.Id).ToArray();
        if (ids.Length == 0)
            return results;
        var placeholders = string.Join(", ", ids.Select((_, i) => $"{{{i}}}"));
#pragma warning disable EF1002 // the placeholders are numbered parameters, the lock clause one of the dialect's constants
        var counts = await db.Deliveries
            .FromSqlRaw($$"""SELECT * FROM "Deliveries" WHERE "Id" IN ({{placeholders}}) {{dialect.LockRow}}""", ids)
            .AsNoTracking()
            .Select(d => new { d.Id, d.Attempts, d.AmbiguousSends })
            .ToDictionaryAsync(d => d.Id, cancellationToken);
#pragma warning restore EF1002
        return results
            .Select(r => counts.TryGetValue(r.Delivery.Id, out var now)
                ? r with { Delivery = r.Delivery with { Attempts = now.Attempts, AmbiguousSends = now.AmbiguousSends } }
                : r)
            .ToList();
    }

    /// <summary>Exponential backoff from <see cref="DeliveryOptions.RetryDelay"/>, at most 10 minutes.</summary>
    public static TimeSpan Backoff(TimeSpan first, int attempts) => TimeSpan.FromSeconds(Math.Min(600, first.TotalSeconds * Math.Pow(2, attempts - 1)));

    /// <summary>
    /// The deliveries of <paramref name="ids"/> that <paramref name="change"/> is written to. A result is written over a
    /// pending delivery only, except that a delivered one counts whatever the delivery says: a failure written first by
    /// an instance whose claim had run out (the delivery taken over meanwhile) does not hide that the message reached
    /// the chat, and nothing is written over a delivered row. A delivered result ends the delivery whoever holds it; a
    /// failure (failed, blocked, skipped, waiting) is left to the instance that took the delivery over and holds it
    /// now, whose own send tells; one left pending is this instance's to write only while it holds the claim.
    /// </summary>
    private IQueryable<Delivery> Writable(List<long> ids, Change change, DateTimeOffset now)
    {
        var me = instance.Name;
        return change.Status switch
        {
            DeliveryStatus.Sent => db.Deliveries.Where(d => ids.Contains(d.Id) && d.Status != DeliveryStatus.Sent),
            DeliveryStatus.Pending => db.Deliveries.Where(d => ids.Contains(d.Id) && d.Status == DeliveryStatus.Pending && d.ClaimedBy == me),
            _ => db.Deliveries.Where(d => ids.Contains(d.Id) && d.Status == DeliveryStatus.Pending
                && (d.ClaimedBy == null || d.ClaimedBy == me || d.ClaimedUntil == null || d.ClaimedUntil < now)),
        };
    }

    private async Task<int> SetAsync(List<long> ids, Change change, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var error = Shorten(change.Error);
        // A send of a delivery left pending that may have arrived still counts, whoever sends it now, so the chat gets
        // at most one extra copy.
        if (change is { Status: DeliveryStatus.Pending, Ambiguous: > 0 })
        {
            var me = instance.Name;
            await db.Deliveries.Where(d => ids.Contains(d.Id) && d.Status == DeliveryStatus.Pending && d.ClaimedBy != me)
                .ExecuteUpdateAsync(d => d.SetProperty(x => x.AmbiguousSends, x => x.AmbiguousSends + change.Ambiguous), cancellationToken);
        }

        return await Writable(ids, change, now).ExecuteUpdateAsync(d => d
            .SetProperty(x => x.Status, change.Status)
            .SetProperty(x => x.Attempts, x => x.Attempts + change.Attempts)
            .SetProperty(x => x.AmbiguousSends, x => x.AmbiguousSends + change.Ambiguous)
            .SetProperty(x => x.PartsSent, change.PartsSent)
            .SetProperty(x => x.SentAt, x => change.SentAt ?? x.SentAt)
            .SetProperty(x => x.LastError, error)
            // Kept by any other outcome: a resend that WeChat answers as a repeat of the mass send that failed is told by it.
            .SetProperty(x => x.MassSendMsgId, x => change.Status == DeliveryStatus.Sent ? change.MassSendMsgId : x.MassSendMsgId)
            .SetProperty(x => x.NextAttemptAt, change.NextAttemptAt)
            .SetProperty(x => x.ClaimedBy, (string?)null)
            .SetProperty(x => x.ClaimedUntil, (DateTimeOffset?)null), cancellationToken);
    }

    private Task<int> ReleaseAsync(List<long> ids, CancellationToken cancellationToken)
    {
        var me = instance.Name;
        return db.Deliveries.Where(d => ids.Contains(d.Id) && d.ClaimedBy == me).ExecuteUpdateAsync(d => d
            .SetProperty(x => x.ClaimedBy, (string?)null)
            .SetProperty(x => x.ClaimedUntil, (DateTimeOffset?)null), cancellationToken);
    }

    /// <summary>
    /// A group that became a supergroup: the subscriber follows it, and the delivery is tried again there. When the new
    /// chat already had a row of its own (someone spoke there first, or a reply already followed the move), the delivery
    /// goes on to that row, unless it has a delivery of this push itself.
    /// </summary>
    private async Task MoveAsync(Channel channel, DeliveryResult result, string newChatId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var delivery = result.Delivery;
        var followed = await chats.MoveAsync(channel, delivery.Recipient.ChatId, newChatId, cancellationToken);
        var parts = Math.Max(result.PartsDelivered, delivery.PartsSent);
        var again = new Change(DeliveryStatus.Pending, $"chat moved to {newChatId}", 0, 0, parts, now, null);
        if (!followed)
        {
            var target = await db.Subscribers.Where(s => s.Channel == channel && s.ChatId == newChatId).Select(s => (int?)s.Id).FirstOrDefaultAsync(cancellationToken);
            if (target is null || await db.Deliveries.AnyAsync(d => d.PushId == delivery.PushId && d.SubscriberId == target && d.Id != delivery.Id, cancellationToken))
            {
                again = new Change(DeliveryStatus.Skipped, $"chat moved to {newChatId}, which has its own delivery of this push", 0, 0, parts, null, null);
            }
            else
            {
                await db.Deliveries.Where(d => d.Id == delivery.Id).ExecuteUpdateAsync(d => d.SetProperty(x => x.SubscriberId, target.Value), cancellationToken);
            }
        }

        await SetAsync([delivery.Id], again, now, cancellationToken);
    }

    private static string? Shorten(string? error) => error is { Length: > MaxErrorLength } ? error[..MaxErrorLength] : error;
}
