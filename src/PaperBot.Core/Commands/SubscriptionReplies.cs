using Microsoft.EntityFrameworkCore;
using PaperBot.Core.Data;
using PaperBot.Core.Publishing;
using PaperBot.Core.Sending;
using PaperBot.Core.Subscribers;
using PaperBot.Core.Topics;

namespace PaperBot.Core.Commands;

/// <summary>/start, /subscribe, /unsubscribe, /lang, /status, /help.</summary>
public sealed class SubscriptionReplies(
    PaperBotDbContext db, SubscriberDirectory subscribers, ReadingReplies reading, TopicCatalog catalog, IPushSchedule schedule, ScheduledPublishing publishing)
{
    public async Task<Reply> StartAsync(Conversation conversation, string? payload, CancellationToken cancellationToken)
    {
        var subscription = Subscribe(conversation, welcome: true);
        if (DeepLinkedPaper(payload) is not { } paper)
            return subscription;
        var card = await reading.PaperAsync(conversation, paper, cancellationToken);
        return new Reply([.. subscription.Messages, .. card.Messages]);
    }

    /// <param name="welcome">/start greets; /subscribe only confirms.</param>
    public Reply Subscribe(Conversation conversation, bool welcome = false)
    {
        var say = conversation.Say;
        var subscriber = conversation.Subscriber;
        if (conversation.Message.Channel == Channel.Web)
            return Reply.Text(say.WebCannotSubscribe);
        if (subscriber.Status == SubscriberStatus.Active && welcome)
            return Reply.Text($"{say.Welcome}\n\n{say.WelcomeHint}");

        // /subscribe again in a forum group moves the pushes to where it was sent.
        var already = subscriber.Status == SubscriberStatus.Active;
        var returning = subscriber.Status is SubscriberStatus.Unsubscribed or SubscriberStatus.Blocked;
        subscribers.Subscribe(subscriber, conversation.Message);
        var where = conversation.Message.InForum ? subscriber.ThreadId is null ? say.PushesToGeneral : say.PushesToThisTopic : null;
        if (already)
            return Reply.Text(where is null ? say.AlreadySubscribed : $"{say.AlreadySubscribed}\n{where}");
        var greeting = returning ? say.WelcomeBack : welcome ? say.Welcome : say.Subscribed;
        var message = new MessageBuilder().Line(greeting);
        if (where is not null)
            message.Line(where);
        return Reply.Of(message.BlankLine().Line(say.WelcomeHint).Build());
    }

    public static Reply Unsubscribe(Conversation conversation)
    {
        if (conversation.Message.Channel == Channel.Web)
            return Reply.Text(conversation.Say.WebCannotSubscribe);
        var subscriber = conversation.Subscriber;
        if (subscriber.Status != SubscriberStatus.Active)
            return Reply.Text(conversation.Say.NotSubscribed);
        subscriber.Status = SubscriberStatus.Unsubscribed;
        return Reply.Text(conversation.Say.Unsubscribed);
    }

    public static Reply Language(Conversation conversation, string language)
    {
        conversation.Subscriber.Language = language;
        conversation.Subscriber.LanguageChosen = true;
        return Reply.Text(Phrases.For(language).LanguageSet);
    }

    public async Task<Reply> StatusAsync(Conversation conversation, CancellationToken cancellationToken)
    {
        var say = conversation.Say;
        var subscriber = conversation.Subscriber;
        var message = new MessageBuilder().Line(subscriber.Status switch
        {
            _ when conversation.Message.Channel == Channel.Web => say.WebCannotSubscribe,
            SubscriberStatus.Active => say.StatusSubscribed,
            SubscriberStatus.Blocked => say.StatusBlocked,
            _ => say.StatusNotSubscribed,
        });
        var chosen = catalog.All.Where(t => subscriber.Topics.Any(st => st.Topic == t.Slug)).Select(t => t.Name(say.Language)).ToList();
        message.Line(chosen.Count == 0 ? say.TopicFilterAll : say.TopicFilter(string.Join("、", chosen)));

        var last = subscriber.Id == 0 ? null : await (
                from d in db.Deliveries.AsNoTracking()
                join p in db.Pushes on d.PushId equals p.Id
                where d.SubscriberId == subscriber.Id && d.Status != DeliveryStatus.Pending
                orderby d.Id descending
                select new { d.Status, d.SentAt, p.Kind, p.IssueId })
            .FirstOrDefaultAsync(cancellationToken);
        message.Line(last is null
            ? say.StatusNoDelivery
            : say.StatusLastDelivery(last.Kind == PushKind.Issue ? say.IssueHeading(last.IssueId ?? 0, null) : say.Broadcast, say.DeliveryState(last.Status), last.SentAt));

        var next = await publishing.NextPushAsync(schedule, cancellationToken);
        message.Line(next is { } at ? say.StatusNextPush(at, schedule.TimeZoneId) : say.StatusNoNextPush);
        return Reply.Of(message.Build());
    }

    public static Reply Help(Conversation conversation)
    {
        var say = conversation.Say;
        var message = new MessageBuilder().Bold(say.HelpTitle).EndLine().BlankLine();
        // The console cannot receive pushes: subscribing is listed where it works.
        var commands = conversation.Message.Channel == Channel.Web ? say.UserCommands.Where(c => !c.Command.Contains("subscribe", StringComparison.Ordinal)) : say.UserCommands;
        foreach (var (command, description) in commands)
            message.Text($"{command} — {description}").EndLine();
        message.BlankLine().Line(say.HelpAliases);
        if (conversation.IsAdmin)
        {
            message.BlankLine().Line(say.AdminSection);
            foreach (var (command, description) in say.AdminCommands)
                message.Text($"{command} — {description}").EndLine();
        }

        return Reply.Of(message.Build());
    }

    /// <summary>Telegram deep links: <c>paper_4</c> (newest issue) or <c>paper_3_4</c> (issue 3).</summary>
    private static PaperCommand? DeepLinkedPaper(string? payload)
    {
        var parts = payload?.Split('_') ?? [];
        return parts switch
        {
            ["paper", var n] when int.TryParse(n, out var number) => new PaperCommand(number, null),
            ["paper", var i, var n] when int.TryParse(i, out var issue) && int.TryParse(n, out var number) => new PaperCommand(number, issue),
            _ => null,
        };
    }
}
