using Microsoft.EntityFrameworkCore;
using PaperBot.Core.Commands;
using PaperBot.Core.Data;

namespace PaperBot.Core.Subscribers;

/// <summary>Finds the chat behind an inbound message, creating it on first contact.</summary>
public sealed class SubscriberDirectory(PaperBotDbContext db, TimeProvider clock)
{
    public async Task<Subscriber> TouchAsync(InboundMessage message, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var subscriber = await FindAsync(message.Channel, message.ChatId, cancellationToken);
        if (subscriber is null)
        {
            subscriber = new Subscriber
            {
                Channel = message.Channel,
                ChatId = message.ChatId,
                UserId = message.UserId,
                Kind = message.ChatKind,
                Status = SubscriberStatus.Visitor,
                Language = Languages.FromClient(message.LanguageCode),
                CreatedAt = now,
            };
            db.Subscribers.Add(subscriber);
        }
        else if (!subscriber.LanguageChosen && message.LanguageCode is not null)
        {
            subscriber.Language = Languages.FromClient(message.LanguageCode);
        }

        subscriber.LastSeenAt = now;
        if (message.DisplayName is { Length: > 0 } name)
            subscriber.DisplayName = name.Length > 200 ? name[..200] : name;
        return subscriber;
    }

    /// <summary>
    /// A console visitor (the web channel) is only kept once they chose something — topics, a language: the browser's
    /// cookie is all that names them, so a row for every curious request would only grow the table.
    /// </summary>
    public void ForgetPassingVisitor(Subscriber subscriber)
    {
        var entry = db.Entry(subscriber);
        if (entry.State == EntityState.Added && subscriber.Channel == Channel.Web && subscriber.Topics.Count == 0 && !subscriber.LanguageChosen
            && subscriber.Status == SubscriberStatus.Visitor)
        {
            entry.State = EntityState.Detached;
        }
    }

    public Task<Subscriber?> FindAsync(Channel channel, string chatId, CancellationToken cancellationToken) =>
        db.Subscribers.Include(s => s.Topics).FirstOrDefaultAsync(s => s.Channel == channel && s.ChatId == chatId, cancellationToken);

    /// <summary>
    /// Starts weekly pushes; a chat that unsubscribed or blocked the bot comes back with its old topics. In a forum group
    /// they go to the topic <paramref name="message"/> was sent in, or to General when it was sent there.
    /// </summary>
    public void Subscribe(Subscriber subscriber, InboundMessage message)
    {
        subscriber.Status = SubscriberStatus.Active;
        subscriber.SubscribedAt ??= clock.GetUtcNow();
        subscriber.ThreadId = subscriber.Kind == ChatKind.Group && message.InForum ? message.ThreadId : null;
    }
}
