using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PaperBot.Core.Data;
using PaperBot.Core.Subscribers;

namespace PaperBot.Core.Sending;

public sealed record ClaimedDelivery(long Id, int PushId, int Attempts, Recipient Recipient, IReadOnlySet<string> Topics);

/// <summary>Deliveries this instance may send now, and when: the i-th at <see cref="Start"/> + i × <see cref="Interval"/>.</summary>
public sealed record ClaimedBatch(IReadOnlyList<ClaimedDelivery> Deliveries, DateTimeOffset Start, TimeSpan Interval)
{
    /// <summary>Set when the channel's send clock is ahead (another instance reserved the next slots, or a 429 pause): claim again then.</summary>
    public DateTimeOffset? NotBefore { get; init; }
}

/// <summary>
/// Claims pending deliveries for one channel and reserves their send slots on the channel's shared clock,
/// in one transaction, so that instances never claim the same delivery and together keep the configured rate.
/// A claim is a lease: if the claimer dies, the deliveries become claimable again when it runs out.
/// </summary>
public sealed class DeliveryClaims(PaperBotDbContext db, TimeProvider clock, IOptions<DeliveryOptions> options, ILogger<DeliveryClaims> logger)
{
    /// <summary>How far ahead of now one claim reserves slots.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(1);

    /// <summary>The first slot of a claim is at least this far ahead: time to load and render the batch before it.</summary>
    public static readonly TimeSpan Lead = TimeSpan.FromMilliseconds(250);

    private DeliveryOptions Options => options.Value;

    /// <summary>
    /// Who this process is in claims. On SQLite (one instance by design) the machine's name, stable across restarts,
    /// so a restarted bot takes its unfinished claims back at once; on PostgreSQL each process is its own claimer.
    /// </summary>
    private string Me => Options.InstanceId.Length > 0 ? Options.InstanceId
        : IsPostgres ? $"{Environment.MachineName}:{Environment.ProcessId}" : Environment.MachineName;

    /// <summary>After a restart, this instance's own unfinished claims are taken back at once instead of waiting for the lease.</summary>
    public Task<int> ReleaseOwnAsync(Channel channel, CancellationToken cancellationToken)
    {
        var me = Me;
        return db.Deliveries
            .Where(d => d.ClaimedBy == me && d.Status == DeliveryStatus.Pending && d.Subscriber!.Channel == channel)
            .ExecuteUpdateAsync(d => d.SetProperty(x => x.ClaimedBy, (string?)null).SetProperty(x => x.ClaimedUntil, (DateTimeOffset?)null), cancellationToken);
    }

    public async Task<ClaimedBatch> ClaimAsync(Channel channel, CancellationToken cancellationToken)
    {
        var rate = Options.RateFor(channel);
        var size = rate > 0 ? (int)Math.Clamp(Math.Ceiling(rate * Window.TotalSeconds), 1, Options.MaxBatch) : Options.MaxBatch;
        var now = clock.GetUtcNow();
        var channelName = channel.ToString();

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.Database.ExecuteSqlAsync(
            $"""INSERT INTO "ChannelThrottles" ("Channel", "NextSlotAt") VALUES ({channelName}, {Time(now)}) ON CONFLICT DO NOTHING""",
            cancellationToken);
        var throttle = await (IsPostgres
                ? db.ChannelThrottles.FromSqlInterpolated($"""SELECT * FROM "ChannelThrottles" WHERE "Channel" = {channelName} FOR UPDATE""")
                : db.ChannelThrottles.Where(t => t.Channel == channel))
            .SingleAsync(cancellationToken);

        var start = rate > 0 ? Max(now + Lead, throttle.PausedUntil ?? now, throttle.NextSlotAt) : Max(now, throttle.PausedUntil ?? now, now);
        if (start > now + Window)
            return new ClaimedBatch([], start, TimeSpan.Zero) { NotBefore = start - Window };

        var ids = await ClaimIdsAsync(channelName, now, size, cancellationToken);
        var interval = rate > 0 ? TimeSpan.FromSeconds(1 / rate) : TimeSpan.Zero;
        if (ids.Count > 0 && rate > 0)
        {
            throttle.NextSlotAt = start + interval * ids.Count;
            await db.SaveChangesAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        if (ids.Count > 0)
            logger.LogDebug("delivery: claimed {Count} {Channel} deliveries ({FirstId}-{LastId}) for slots from {Start:HH:mm:ss.fff}", ids.Count, channel, ids.Min(), ids.Max(), start);
        return new ClaimedBatch(ids.Count == 0 ? [] : await LoadAsync(ids, cancellationToken), start, interval);
    }

    /// <summary>Keeps the claim on deliveries still being sent, so a slow channel never lets another instance take them.</summary>
    public Task<int> RenewAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken)
    {
        var me = Me;
        var until = clock.GetUtcNow() + Options.ClaimLease;
        return db.Deliveries
            .Where(d => ids.Contains(d.Id) && d.ClaimedBy == me && d.Status == DeliveryStatus.Pending)
            .ExecuteUpdateAsync(d => d.SetProperty(x => x.ClaimedUntil, until), cancellationToken);
    }

    private Task<List<long>> ClaimIdsAsync(string channelName, DateTimeOffset now, int size, CancellationToken cancellationToken)
    {
        var me = Me;
        var until = Time(now + Options.ClaimLease);
        var current = Time(now);
        var pending = nameof(DeliveryStatus.Pending);
        var lockRows = IsPostgres ? "FOR UPDATE OF d SKIP LOCKED" : "";
#pragma warning disable EF1002 // lockRows is one of two constant clauses; every value is a parameter
        return db.Database.SqlQueryRaw<long>(
            $$"""
            UPDATE "Deliveries" SET "ClaimedBy" = {0}, "ClaimedUntil" = {1}
            WHERE "Id" IN (
                SELECT d."Id" FROM "Deliveries" AS d
                JOIN "Subscribers" AS s ON s."Id" = d."SubscriberId"
                WHERE d."Status" = {2} AND s."Channel" = {3}
                  AND (d."NextAttemptAt" IS NULL OR d."NextAttemptAt" <= {4})
                  AND (d."ClaimedUntil" IS NULL OR d."ClaimedUntil" < {4})
                ORDER BY d."Id"
                LIMIT {5}
                {{lockRows}})
            RETURNING "Id" AS "Value"
            """,
            me, until, pending, channelName, current, size).ToListAsync(cancellationToken);
#pragma warning restore EF1002
    }

    private async Task<IReadOnlyList<ClaimedDelivery>> LoadAsync(List<long> ids, CancellationToken cancellationToken)
    {
        var rows = await db.Deliveries.AsNoTracking()
            .Where(d => ids.Contains(d.Id))
            .OrderBy(d => d.Id)
            .Select(d => new
            {
                d.Id,
                d.PushId,
                d.Attempts,
                d.SubscriberId,
                d.Subscriber!.Channel,
                d.Subscriber.ChatId,
                d.Subscriber.Kind,
                d.Subscriber.Language,
                Topics = d.Subscriber.Topics.Select(t => t.Topic).ToList(),
            })
            .ToListAsync(cancellationToken);
        return rows
            .Select(r => new ClaimedDelivery(r.Id, r.PushId, r.Attempts, new Recipient(r.SubscriberId, r.Channel, r.ChatId, r.Kind, r.Language), r.Topics.ToHashSet()))
            .ToList();
    }

    private bool IsPostgres => db.Database.IsNpgsql();

    /// <summary>Raw SQL sees the stored form: UTC ticks on SQLite (see the SQLite context), timestamptz on PostgreSQL.</summary>
    private object Time(DateTimeOffset value) => IsPostgres ? value.ToUniversalTime() : value.UtcTicks;

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b, DateTimeOffset c) => a > b ? (a > c ? a : c) : (b > c ? b : c);
}
