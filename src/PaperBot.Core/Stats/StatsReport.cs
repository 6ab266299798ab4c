using Microsoft.EntityFrameworkCore;
using PaperBot.Core.Data;
using PaperBot.Core.Publishing;
using PaperBot.Core.Sending;
using PaperBot.Core.Subscribers;

namespace PaperBot.Core.Stats;

public sealed record SubscriberCount(Channel Channel, SubscriberStatus Status, int Count);

public sealed record TopicPopularity(string Topic, int Subscribers);

public sealed record PushLedger(
    int PushId, PushKind Kind, int? IssueId, string Title, DateTimeOffset CreatedAt, DateTimeOffset? CompletedAt,
    int Recipients, int Pending, int Sent, int Skipped, int Blocked, int Failed, int Waiting)
{
    public int Done => Sent + Skipped + Blocked + Failed + Waiting;

    /// <summary>What is still to send on each channel that has any: each channel sends at its own rate.</summary>
    public IReadOnlyDictionary<Channel, int> PendingByChannel { get; init; } = new Dictionary<Channel, int>();
}

/// <summary>One reason deliveries of a push ended as they did (their LastError), and how many ended so for it.</summary>
public sealed record PushReason(Channel Channel, DeliveryStatus Status, string? Reason, int Deliveries);

/// <summary>
/// Why a push's deliveries failed, were blocked, wait or were skipped for another reason than their topics: the most
/// frequent reasons, and how many other reasons there are. <see cref="NoLongerKept"/> when the tallies count such
/// deliveries but retention has pruned their rows.
/// </summary>
public sealed record PushReasons(IReadOnlyList<PushReason> Top, int More, bool NoLongerKept)
{
    public bool Any => Top.Count > 0 || NoLongerKept;
}

public sealed record Stats(IReadOnlyList<SubscriberCount> Subscribers, IReadOnlyList<TopicPopularity> Topics, IReadOnlyList<PushLedger> Pushes)
{
    public int Active => Subscribers.Where(s => s.Status == SubscriberStatus.Active).Sum(s => s.Count);
}

/// <summary>The numbers admins watch: subscribers by channel and status, topic popularity, and the per-push ledger (from the pushes' tallies, never by counting deliveries).</summary>
public sealed class StatsReport(PaperBotDbContext db)
{
    /// <summary>How many reasons the admin page, its /progress and a progress message read: the most frequent.</summary>
    public const int TopReasons = 10;

    // An IN list, which SQLite answers from the status index; "not Active" would make it walk every row.
    private static readonly SubscriberStatus[] NotActive = [.. Enum.GetValues<SubscriberStatus>().Where(s => s != SubscriberStatus.Active)];

    public async Task<Stats> BuildAsync(int recentPushes, CancellationToken cancellationToken)
    {
        var subscribers = await db.Subscribers
            .GroupBy(s => new { s.Channel, s.Status })
            .Select(g => new SubscriberCount(g.Key.Channel, g.Key.Status, g.Count()))
            .ToListAsync(cancellationToken);

        // Every subscriber's topics less those of the subscribers who are not active: both counts read indexes alone,
        // where checking each topic row's subscriber visited a million rows (docs/benchmarks.md, Delivery).
        var everyone = await db.SubscriberTopics
            .GroupBy(t => t.Topic)
            .Select(g => new { Topic = g.Key, Count = g.Count() })
            .ToListAsync(cancellationToken);
        var notActive = await db.Subscribers
            .Where(s => NotActive.Contains(s.Status))
            .SelectMany(s => s.Topics)
            .GroupBy(t => t.Topic)
            .Select(g => new { Topic = g.Key, Count = g.Count() })
            .ToDictionaryAsync(t => t.Topic, t => t.Count, cancellationToken);
        var topics = everyone
            .Select(t => new TopicPopularity(t.Topic, t.Count - notActive.GetValueOrDefault(t.Topic)))
            .Where(t => t.Subscribers > 0)
            .OrderByDescending(t => t.Subscribers).ThenBy(t => t.Topic, StringComparer.Ordinal)
            .ToList();

        var pushes = await LedgerAsync(db.Pushes.OrderByDescending(p => p.Id).Take(recentPushes), cancellationToken);
        return new Stats(subscribers.OrderBy(s => s.Channel).ThenBy(s => s.Status).ToList(), topics, pushes);
    }

    public async Task<PushLedger?> LedgerAsync(int pushId, CancellationToken cancellationToken) =>
        (await LedgerAsync(db.Pushes.Where(p => p.Id == pushId), cancellationToken)) is [var ledger] ? ledger : null;

    /// <summary>
    /// The <paramref name="top"/> most frequent reasons among <paramref name="ledger"/>'s push's failed, blocked, waiting
    /// and skipped deliveries (not those skipped because no paper matches the topics: the routine case). One GROUP BY over
    /// that push's rows of those statuses, found by the (PushId, Status) index; the window count gives the number of
    /// reasons in the same query.
    /// </summary>
    public async Task<PushReasons> ReasonsAsync(PushLedger ledger, int top, CancellationToken cancellationToken)
    {
        string failed = nameof(DeliveryStatus.Failed), blocked = nameof(DeliveryStatus.Blocked), waiting = nameof(DeliveryStatus.Waiting),
            skipped = nameof(DeliveryStatus.Skipped), routine = DeliveryResults.NothingMatches;
        var rows = await db.Database.SqlQuery<ReasonRow>(
            $"""
            SELECT "Channel", "Status", "LastError" AS "Reason", COUNT(*) AS "Count", COUNT(*) OVER () AS "Reasons"
            FROM "Deliveries"
            WHERE "PushId" = {ledger.PushId} AND "Status" IN ({failed}, {blocked}, {waiting}, {skipped})
              AND ("Status" <> {skipped} OR "LastError" IS NULL OR "LastError" <> {routine})
            GROUP BY "Channel", "Status", "LastError"
            ORDER BY "Count" DESC, "Channel", "Status", "Reason"
            LIMIT {top}
            """).ToListAsync(cancellationToken);
        var reasons = rows
            .Select(r => new PushReason(Enum.Parse<Channel>(r.Channel), Enum.Parse<DeliveryStatus>(r.Status), r.Reason, (int)r.Count))
            .ToList();
        var more = rows.Count > 0 ? (int)rows[0].Reasons - rows.Count : 0;
        return new PushReasons(reasons, more, NoLongerKept: reasons.Count == 0 && ledger.Failed + ledger.Blocked + ledger.Waiting > 0);
    }

    private sealed class ReasonRow
    {
        public required string Channel { get; init; }
        public required string Status { get; init; }
        public string? Reason { get; init; }
        public long Count { get; init; }
        public long Reasons { get; init; }
    }

    private async Task<IReadOnlyList<PushLedger>> LedgerAsync(IQueryable<Push> pushes, CancellationToken cancellationToken)
    {
        // One round trip with the tallies joined: progress is polled during a push, when the database is busiest.
        var selected = await pushes
            .Select(p => new
            {
                p.Id, p.Kind, p.IssueId, Title = p.Issue != null ? p.Issue.Title : p.Text, p.CreatedAt, p.CompletedAt, p.RecipientCount,
                Tallies = db.PushTallies.Where(t => t.PushId == p.Id).ToList(),
            })
            .AsNoTracking()
            .ToListAsync(cancellationToken);

        return selected
            .Select(p => new PushLedger(p.Id, p.Kind, p.IssueId, p.Title ?? "", p.CreatedAt, p.CompletedAt, p.RecipientCount,
                p.Tallies.Sum(t => t.Pending), p.Tallies.Sum(t => t.Sent), p.Tallies.Sum(t => t.Skipped),
                p.Tallies.Sum(t => t.Blocked), p.Tallies.Sum(t => t.Failed), p.Tallies.Sum(t => t.Waiting))
            {
                PendingByChannel = p.Tallies.Where(t => t.Pending > 0).ToDictionary(t => t.Channel, t => t.Pending),
            })
            .ToList();
    }
}
