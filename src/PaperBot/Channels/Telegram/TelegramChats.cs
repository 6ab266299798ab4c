using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PaperBot.Core.Data;
using PaperBot.Core.Subscribers;

namespace PaperBot.Channels.Telegram;

/// <summary>The Telegram channels each issue is posted to (Telegram:Channels), kept as subscribers of kind Channel.</summary>
public sealed class TelegramChats(PaperBotDbContext db, IOptions<TelegramOptions> options, TimeProvider clock)
{
    /// <summary>
    /// Each channel in Telegram:Channels is an active subscriber of kind Channel (the outbox posts issues to them
    /// and leaves them out of announcements); a channel no longer listed stops receiving.
    /// </summary>
    public async Task SyncChannelsAsync(CancellationToken cancellationToken)
    {
        var listed = options.Value.Channels.ToHashSet(StringComparer.Ordinal);
        var known = await db.Subscribers
            .Where(s => s.Channel == Channel.Telegram && (s.Kind == ChatKind.Channel || listed.Contains(s.ChatId)))
            .ToListAsync(cancellationToken);
        var now = clock.GetUtcNow();
        foreach (var chatId in listed.Where(id => known.All(s => s.ChatId != id)))
        {
            db.Subscribers.Add(new Subscriber
            {
                Channel = Channel.Telegram,
                ChatId = chatId,
                UserId = chatId,
                Kind = ChatKind.Channel,
                Status = SubscriberStatus.Active,
                CreatedAt = now,
                LastSeenAt = now,
                SubscribedAt = now,
            });
        }

        foreach (var subscriber in known)
        {
            var wanted = listed.Contains(subscriber.ChatId);
            if (wanted)
            {
                subscriber.Kind = ChatKind.Channel;
                subscriber.Status = SubscriberStatus.Active;
                subscriber.SubscribedAt ??= now;
            }
            else if (subscriber.Status == SubscriberStatus.Active)
            {
                subscriber.Status = SubscriberStatus.Unsubscribed;
            }
        }

        await db.SaveChangesAsync(cancellationToken);
    }
}
