using Microsoft.EntityFrameworkCore;
using PaperBot.Core.Data;
using PaperBot.Core.Sending;
using PaperBot.Core.Subscribers;

namespace PaperBot.Core.Publishing;

/// <summary>Records one pending delivery per recipient of a push, and the push's tally; the sending engine works through them.</summary>
public static class Outbox
{
    /// <summary>
    /// One INSERT … SELECT instead of loading subscribers: queueing stays a single statement for any audience size.
    /// The web console has no way to push, so its visitors are never recipients. Sets the push's recipient count, and
    /// completes a push that has none (no delivery will ever finish it); the caller saves it.
    /// </summary>
    public static async Task EnqueueAsync(PaperBotDbContext db, Push push, bool includeChannelPosts, CancellationToken cancellationToken)
    {
        var pushId = push.Id;
        var pending = nameof(DeliveryStatus.Pending);
        var active = nameof(SubscriberStatus.Active);
        var web = nameof(Channel.Web);
        var channelKind = includeChannelPosts ? "" : nameof(ChatKind.Channel);
        var queued = await db.Database.ExecuteSqlAsync(
            $"""
            INSERT INTO "Deliveries" ("PushId", "SubscriberId", "Channel", "Status", "Attempts", "PartsSent", "AmbiguousSends")
            SELECT {pushId}, "Id", "Channel", {pending}, 0, 0, 0 FROM "Subscribers"
            WHERE "Status" = {active} AND "Channel" <> {web} AND "Kind" <> {channelKind}
            """,
            cancellationToken);
        // Counted from the deliveries, not the subscribers again: under PostgreSQL's read committed, a subscriber who
        // joins between the two statements would be counted as pending with no delivery, and the push never complete.
        await db.Database.ExecuteSqlAsync(
            $"""
            INSERT INTO "PushTallies" ("PushId", "Channel", "Pending", "Sent", "Skipped", "Blocked", "Failed", "Waiting")
            SELECT {pushId}, "Channel", COUNT(*), 0, 0, 0, 0, 0 FROM "Deliveries"
            WHERE "PushId" = {pushId}
            GROUP BY "Channel"
            """,
            cancellationToken);
        push.RecipientCount = queued;
        if (queued == 0)
            push.CompletedAt = push.QueuedAt;
    }
}
