using Microsoft.EntityFrameworkCore;
using PaperBot.Core.Data;
using PaperBot.Core.Sending;
using PaperBot.Core.Subscribers;

namespace PaperBot.Core.Publishing;

/// <summary>Records one pending delivery per recipient of a push; the sending engine works through them.</summary>
public static class Outbox
{
    /// <summary>
    /// One INSERT … SELECT instead of loading subscribers: queueing stays a single statement for any audience size.
    /// The web console has no way to push, so its visitors are never recipients.
    /// </summary>
    public static Task<int> EnqueueAsync(PaperBotDbContext db, int pushId, bool includeChannelPosts, CancellationToken cancellationToken)
    {
        var pending = nameof(DeliveryStatus.Pending);
        var active = nameof(SubscriberStatus.Active);
        var web = nameof(Channel.Web);
        var channelKind = includeChannelPosts ? "" : nameof(ChatKind.Channel);
        return db.Database.ExecuteSqlAsync(
            $"""
            INSERT INTO "Deliveries" ("PushId", "SubscriberId", "Status", "Attempts")
            SELECT {pushId}, "Id", {pending}, 0 FROM "Subscribers"
            WHERE "Status" = {active} AND "Channel" <> {web} AND "Kind" <> {channelKind}
            """,
            cancellationToken);
    }
}
