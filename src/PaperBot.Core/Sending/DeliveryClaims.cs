using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PaperBot.Core.Data;
using PaperBot.Core.Subscribers;

namespace PaperBot.Core.Sending;

public sealed record ClaimedDelivery(long Id, int PushId, int Attempts, int PartsSent, int AmbiguousSends, Recipient Recipient, IReadOnlySet<string> Topics)
{
    /// <summary>The subscriber is still subscribed now that the delivery's turn came (they may have left since it was queued).</summary>
    public bool StillSubscribed { get; init; } = true;
}

/// <summary>Deliveries this instance may send now, and when: the i-th at <see cref="Start"/> + i × <see cref="Interval"/>.</summary>
public sealed record ClaimedBatch(IReadOnlyList<ClaimedDelivery> Deliveries, DateTimeOffset Start, TimeSpan Interval)
{
    /// <summary>Set when the channel's send clock is ahead (another instance reserved the next slots, a 429 pause, the channel is down): claim again then.</summary>
    public DateTimeOffset? NotBefore { get; init; }

    /// <summary>The one send (a delivery, or a batch channel's one call) that finds out whether a channel that was down is back.</summary>
    public bool IsProbe { get; init; }
}

/// <summary>
/// Claims pending deliveries for one channel and reserves their send slots on the channel's shared clock,
/// in one transaction, so that instances never claim the same delivery and together keep the configured rate.
/// A claim is a lease: if the claimer dies, the deliveries become claimable again when it runs out.
/// </summary>
public sealed class DeliveryClaims(
    PaperBotDbContext db, StorageDialect dialect, InstanceIdentity instance, TimeProvider clock, IOptions<DeliveryOptions> options, ILogger<DeliveryClaims> logger)
{
    /// <summary>How far ahead of now one claim reserves slots.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(1);

    /// <summary>The first slot of a claim is at least this far ahead: time to load and render the batch before it.</summary>
    public static readonly TimeSpan Lead = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// While the channel is down, how soon to claim again, whenever the next probe is due: a probe that got through, on
    /// this instance or another, lets the push go on within this, not only at the next probe.
    /// </summary>
    public static readonly TimeSpan DownRecheck = TimeSpan.FromSeconds(1);

    private DeliveryOptions Options => options.Value;

    private string Me => instance.Name;

    /// <summary>
    /// At start, claims that no live process holds are taken back at once instead of waiting for their lease: on a
    /// database that serves one instance every claim belongs to a process that is gone; elsewhere only this instance's
    /// own (a fixed Delivery:InstanceId restarting).
    /// </summary>
    public Task<int> ReleaseStaleAsync(Channel channel, CancellationToken cancellationToken)
    {
        var me = Me;
        var all = !dialect.ServesSeveralInstances;
        return db.Deliveries
            .Where(d => d.ClaimedBy != null && (all || d.ClaimedBy == me) && d.Status == DeliveryStatus.Pending && d.Channel == channel)
            .ExecuteUpdateAsync(d => d.SetProperty(x => x.ClaimedBy, (string?)null).SetProperty(x => x.ClaimedUntil, (DateTimeOffset?)null), cancellationToken);
    }

    /// <param name="probeSize">How many deliveries a probe takes: one, or for a channel that sends in batches one call's worth.</param>
    public async Task<ClaimedBatch> ClaimAsync(Channel channel, int probeSize, CancellationToken cancellationToken)
    {
        var rate = Options.RateFor(channel);
        var size = rate > 0 ? (int)Math.Clamp(Math.Ceiling(rate * Window.TotalSeconds), 1, Options.MaxBatch) : Options.MaxBatch;
        var now = clock.GetUtcNow();
        var channelName = channel.ToString();

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.Database.ExecuteSqlAsync(
            $"""INSERT INTO "ChannelThrottles" ("Channel", "NextSlotAt") VALUES ({channelName}, {dialect.Time(now)}) ON CONFLICT DO NOTHING""",
            cancellationToken);
#pragma warning disable EF1002 // the lock clause is one of the dialect's constants; the channel is a parameter
        var throttle = await db.ChannelThrottles
            .FromSqlRaw($$"""SELECT * FROM "ChannelThrottles" WHERE "Channel" = {0} {{dialect.LockRow}}""", channelName)
            .SingleAsync(cancellationToken);
#pragma warning restore EF1002

        var probe = throttle.DownSince is not null;
        if (probe)
        {
            if (throttle.ProbeAt > now)
                return new ClaimedBatch([], now, TimeSpan.Zero) { NotBefore = throttle.ProbeAt < now + DownRecheck ? throttle.ProbeAt : now + DownRecheck };
            // One probe for the cluster: the next is due an interval from now, whoever claims it.
            throttle.ProbeAt = now + Options.ProbeInterval;
            size = Math.Clamp(probeSize, 1, size);
        }

        var start = rate > 0 ? Max(now + Lead, throttle.PausedUntil ?? now, throttle.NextSlotAt) : Max(now, throttle.PausedUntil ?? now, now);
        if (start > now + Window)
            return new ClaimedBatch([], start, TimeSpan.Zero) { NotBefore = start - Window };

        var ids = await ClaimIdsAsync(channelName, now, size, cancellationToken);
        var interval = rate > 0 ? TimeSpan.FromSeconds(1 / rate) : TimeSpan.Zero;
        if (ids.Count > 0 && rate > 0)
            throttle.NextSlotAt = start + interval * ids.Count;
        await db.SaveChangesAsync(cancellationToken);

        await transaction.CommitAsync(cancellationToken);
        if (ids.Count > 0)
            logger.LogDebug("delivery: claimed {Count} {Channel} deliveries ({FirstId}-{LastId}) for slots from {Start:HH:mm:ss.fff}", ids.Count, channel, ids.Min(), ids.Max(), start);
        // Claimed now, so read whatever the stop: the send loop hands back what it does not send.
        return new ClaimedBatch(ids.Count == 0 ? [] : await LoadAsync(ids, CancellationToken.None), start, interval) { IsProbe = probe && ids.Count > 0 };
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
        var until = dialect.Time(now + Options.ClaimLease);
        var current = dialect.Time(now);
        var pending = nameof(DeliveryStatus.Pending);
        var lockRows = dialect.SkipLockedRows;
#pragma warning disable EF1002 // lockRows is one of the dialect's constant clauses; every value is a parameter
        return db.Database.SqlQueryRaw<long>(
            $$"""
            UPDATE "Deliveries" SET "ClaimedBy" = {0}, "ClaimedUntil" = {1}
            WHERE "Id" IN (
                SELECT d."Id" FROM "Deliveries" AS d
                WHERE d."Channel" = {3} AND d."Status" = {2}
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
        var rows = await (
                from d in db.Deliveries.AsNoTracking()
                join s in db.Subscribers on d.SubscriberId equals s.Id
                where ids.Contains(d.Id)
                orderby d.Id
                select new
                {
                    d.Id,
                    d.PushId,
                    d.Attempts,
                    d.PartsSent,
                    d.AmbiguousSends,
                    d.SubscriberId,
                    s.Channel,
                    s.ChatId,
                    s.Kind,
                    s.Language,
                    s.ThreadId,
                    s.Status,
                    Topics = s.Topics.Select(t => t.Topic).ToList(),
                })
            .ToListAsync(cancellationToken);
        return rows
            .Select(r => new ClaimedDelivery(r.Id, r.PushId, r.Attempts, r.PartsSent, r.AmbiguousSends, new Recipient(r.SubscriberId, r.Channel, r.ChatId, r.Kind, r.Language, r.ThreadId), r.Topics.ToHashSet())
            {
                StillSubscribed = r.Status == SubscriberStatus.Active,
            })
            .ToList();
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b, DateTimeOffset c) => a > b ? (a > c ? a : c) : (b > c ? b : c);
}
