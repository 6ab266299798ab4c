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
    /// The web console has no way to push, so its visitors are never recipients.
    /// </summary>
    public static async Task<int> EnqueueAsync(PaperBotDbContext db, int pushId, bool includeChannelPosts, CancellationToken cancellationToken)
    {
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
        await db.Database.ExecuteSqlAsync(
            $"""
            INSERT INTO "PushTallies" ("PushId", "Channel", "Pending", "Sent", "Skipped", "Blocked", "Failed", "Waiting")
            SELECT {pushId}, "Channel", COUNT(*), 0, 0, 0, 0, 0 FROM "Subscribers"
            WHERE "Status" = {active} AND "Channel" <> {web} AND "Kind" <> {channelKind}
            GROUP BY "Channel"
            """,
            cancellationToken);
        return queued;
    }
}
