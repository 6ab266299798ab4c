using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PaperBot.Core.Data;
using PaperBot.Core.Subscribers;

namespace PaperBot.Channels.Telegram;

/// <summary>What Telegram tells us about chats, applied to their subscribers: blocked, moved, channels to post to.</summary>
public sealed class TelegramChats(PaperBotDbContext db, IOptions<TelegramOptions> options, TimeProvider clock, ILogger<TelegramChats> logger)
{
    /// <summary>The chat blocked the bot, removed it, or no longer exists: no further pushes until it sends /start again.</summary>
    public async Task MarkBlockedAsync(string chatId, string reason, CancellationToken cancellationToken)
    {
        var subscriber = await FindAsync(chatId, cancellationToken);
        if (subscriber is null || subscriber.Status == SubscriberStatus.Blocked)
            return;
        subscriber.Status = SubscriberStatus.Blocked;
        await db.SaveChangesAsync(cancellationToken);
        logger.LogInformation("telegram: chat {ChatId} blocked or removed the bot ({Reason}); no further pushes", chatId, reason);
    }

    /// <summary>A group became a supergroup with a new id; its subscription, language and topics move along.</summary>
    public async Task MoveAsync(string fromChatId, string toChatId, CancellationToken cancellationToken)
    {
        var old = await FindAsync(fromChatId, cancellationToken);
        if (old is null)
            return;
        var target = await FindAsync(toChatId, cancellationToken);
        if (target is null)
        {
            old.ChatId = toChatId;
            old.Kind = ChatKind.Group;
        }
        else
        {
            // Someone already spoke in the supergroup: keep that row, give it what the old group had chosen.
            if (old.Status == SubscriberStatus.Active)
            {
                target.Status = SubscriberStatus.Active;
                target.SubscribedAt ??= old.SubscribedAt;
            }

            if (target.Topics.Count == 0)
                target.Topics.AddRange(old.Topics.Select(t => new SubscriberTopic { Topic = t.Topic }));
            old.Status = SubscriberStatus.Blocked;
        }

        await db.SaveChangesAsync(cancellationToken);
        logger.LogInformation("telegram: group {ChatId} became supergroup {NewChatId}", fromChatId, toChatId);
    }

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

    private Task<Subscriber?> FindAsync(string chatId, CancellationToken cancellationToken) =>
        db.Subscribers.Include(s => s.Topics).FirstOrDefaultAsync(s => s.Channel == Channel.Telegram && s.ChatId == chatId, cancellationToken);
}
