using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using PaperBot.Core.Data;
using PaperBot.Core.Subscribers;

namespace PaperBot.Core.Sending;

/// <summary>
/// What an outcome means beyond its one message, decided once for pushes and replies on every channel: a chat that is
/// gone stops getting pushes, a chat that moved takes its subscription along, a channel-wide "slow down" pauses the
/// channel for every instance, a channel that is down stops pushes until a probe gets through.
/// </summary>
public sealed class ChatLifecycle(PaperBotDbContext db, ChannelHealth health, ILogger<ChatLifecycle> logger)
{
    /// <summary>For a call outside a push (a reply, a progress edit): applies what the outcome says about the chat and the channel.</summary>
    public async Task ApplyAsync(Channel channel, string chatId, SendOutcome outcome, CancellationToken cancellationToken)
    {
        switch (outcome)
        {
            case SendOutcome.ChatGone gone:
                var ids = await db.Subscribers.Where(s => s.Channel == channel && s.ChatId == chatId).Select(s => s.Id).ToListAsync(cancellationToken);
                await MarkGoneAsync(ids, gone.Reason, cancellationToken);
                break;
            case SendOutcome.ChatMoved moved:
                await MoveAsync(channel, chatId, moved.NewChatId, cancellationToken);
                break;
            case SendOutcome.RetryAfter { Scope: RetryScope.Channel } retry:
                await health.PauseAsync(channel, retry.Wait, cancellationToken);
                break;
            case SendOutcome.ChannelDown down:
                await health.MarkDownAsync(channel, down.Reason, cancellationToken);
                break;
        }
    }

    /// <summary>The chats blocked the bot, removed it, unfollowed or no longer exist: no further pushes until they come back.</summary>
    public async Task MarkGoneAsync(IReadOnlyCollection<int> subscriberIds, string reason, CancellationToken cancellationToken)
    {
        var changed = await db.Subscribers
            .Where(s => subscriberIds.Contains(s.Id) && s.Status != SubscriberStatus.Blocked)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.StatusBeforeGone, x => x.Status).SetProperty(x => x.Status, SubscriberStatus.Blocked), cancellationToken);
        if (changed > 0)
            logger.LogInformation("delivery: {Count} chats are gone ({Reason}); no further pushes to them", changed, reason);
    }

    /// <summary>
    /// The forum topic a chat's pushes went to is deleted or closed: they go to the chat itself (a forum's General) from
    /// now on, until /subscribe is sent in a topic again. A topic chosen meanwhile is kept.
    /// </summary>
    public async Task ThreadGoneAsync(int subscriberId, int threadId, string reason, CancellationToken cancellationToken)
    {
        var changed = await db.Subscribers
            .Where(s => s.Id == subscriberId && s.ThreadId == threadId)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.ThreadId, (int?)null), cancellationToken);
        if (changed > 0)
            logger.LogInformation("delivery: the topic {ThreadId} subscriber {SubscriberId} chose is gone ({Reason}); pushes go to the chat's General", threadId, subscriberId, reason);
    }

    /// <summary>
    /// A topic of the chat refused a reply as closed or deleted: if the chat's pushes went there, they go to its General
    /// from now on, as the next push would find out. True when they did.
    /// </summary>
    public async Task<bool> TopicRefusedReplyAsync(Channel channel, string chatId, int threadId, string reason, CancellationToken cancellationToken)
    {
        var subscriberId = await db.Subscribers.Where(s => s.Channel == channel && s.ChatId == chatId && s.ThreadId == threadId).Select(s => (int?)s.Id).FirstOrDefaultAsync(cancellationToken);
        if (subscriberId is not { } id)
            return false;
        await ThreadGoneAsync(id, threadId, reason, cancellationToken);
        return true;
    }

    /// <summary>
    /// The bot is back in a chat that had blocked or removed it (a group added it again, a user unblocked it): the chat is
    /// what it was before, subscribed or not, without anyone having to send /start.
    /// </summary>
    public async Task ReturnedAsync(Channel channel, string chatId, CancellationToken cancellationToken)
    {
        var subscriber = await db.Subscribers.FirstOrDefaultAsync(
            s => s.Channel == channel && s.ChatId == chatId && s.Status == SubscriberStatus.Blocked && s.StatusBeforeGone != null, cancellationToken);
        if (subscriber is null)
            return;
        subscriber.Status = subscriber.StatusBeforeGone!.Value;
        subscriber.StatusBeforeGone = null;
        await db.SaveChangesAsync(cancellationToken);
        logger.LogInformation("delivery: {Channel} chat {ChatId} is back; it is {Status} again", channel, chatId, subscriber.Status);
    }

    /// <summary>
    /// A group became a supergroup with a new id; its subscription, language and topics move along. When the new chat
    /// already has a subscriber (someone spoke there first), that one keeps its row and gets what the old group had chosen.
    /// </summary>
    /// <returns>True when the old subscriber now is the new chat; false when another row already was.</returns>
    public async Task<bool> MoveAsync(Channel channel, string fromChatId, string toChatId, CancellationToken cancellationToken)
    {
        var old = await FindAsync(channel, fromChatId, cancellationToken);
        if (old is null)
            return false;
        var target = await FindAsync(channel, toChatId, cancellationToken);
        if (target is null)
        {
            old.ChatId = toChatId;
            old.Kind = ChatKind.Group;
        }
        else
        {
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
        logger.LogInformation("delivery: {Channel} chat {ChatId} moved to {NewChatId}", channel, fromChatId, toChatId);
        return target is null;
    }

    private Task<Subscriber?> FindAsync(Channel channel, string chatId, CancellationToken cancellationToken) =>
        db.Subscribers.Include(s => s.Topics).FirstOrDefaultAsync(s => s.Channel == channel && s.ChatId == chatId, cancellationToken);
}
