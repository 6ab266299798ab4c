using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using PaperBot.Core.Data;
using PaperBot.Core.Subscribers;

namespace PaperBot.Core.Commands;

/// <summary>
/// The one place every channel's messages go through: parse, find the chat, dispatch, save.
/// Channels only translate their updates into an <see cref="InboundMessage"/> and the <see cref="Reply"/> into their format.
/// </summary>
public sealed class CommandEngine(
    PaperBotDbContext db,
    SubscriberDirectory subscribers,
    AdminDirectory admins,
    ReadingReplies reading,
    TopicReplies topics,
    SubscriptionReplies subscription,
    AdminReplies admin,
    IEnumerable<IGroupAdministrators> groupAdministrators,
    ILogger<CommandEngine> logger)
{
    /// <summary>How often a message is answered again after another message of its chat wrote first.</summary>
    private const int MaxAttempts = 3;

    public async Task<Reply> HandleAsync(InboundMessage message, CancellationToken cancellationToken)
    {
        var command = message.ButtonData is { } data
            ? ButtonData.Parse(data)
            : CommandParser.Parse(message.Text, message.ChatKind == ChatKind.Private, message.BotUsername);
        if (command is IgnoredMessage)
            return Reply.None;

        // One open for the message's queries, not one per query: SQLite's provider sets up a connection again on each open.
        await db.Database.OpenConnectionAsync(cancellationToken);
        Reply reply;
        // An admin's command saves as it goes (a draft, a publish): that must not run twice.
        var onlyTheEngineSaves = !IsAdminCommand(command) || admins.StandingOf(message) != AdminStanding.Admin;
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    reply = await AnswerAsync(message, command, cancellationToken);
                    break;
                }
                catch (DbUpdateException) when (attempt < MaxAttempts && onlyTheEngineSaves)
                {
                    // Another message of the same chat (a double tap, a console double click) wrote the chat or its topics
                    // after this one read them: read again and answer as the message that came second.
                    db.ChangeTracker.Clear();
                }
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }

        logger.LogDebug("commands: {Channel} chat {ChatId} sent {Command}", message.Channel, message.ChatId, command.GetType().Name);
        return reply;
    }

    private async Task<Reply> AnswerAsync(InboundMessage message, Command command, CancellationToken cancellationToken)
    {
        var subscriber = await subscribers.TouchAsync(message, cancellationToken);
        var standing = admins.StandingOf(message);
        var conversation = new Conversation(message, subscriber, standing == AdminStanding.Admin);
        var reply = await GuardedAsync(conversation, standing, command, cancellationToken);
        subscribers.ForgetPassingVisitor(subscriber);
        await db.SaveChangesAsync(cancellationToken);
        return reply;
    }

    /// <summary>Who may do what: admin commands are the admins' and answered to them privately; a group's settings are its administrators'.</summary>
    private async Task<Reply> GuardedAsync(Conversation conversation, AdminStanding standing, Command command, CancellationToken cancellationToken)
    {
        var say = conversation.Say;
        var message = conversation.Message;
        if (IsAdminCommand(command))
        {
            if (!conversation.IsAdmin)
                return Reply.Text(standing == AdminStanding.NotSigned ? say.AdminNeedsSignedMessages : say.AdminOnly);
            return await DispatchAsync(conversation, command, cancellationToken) with { Private = message.ChatKind == ChatKind.Group };
        }

        if (message.ChatKind == ChatKind.Group && ChangesSettings(command) && !await IsGroupAdministratorAsync(message, cancellationToken))
        {
            logger.LogInformation("commands: {Channel} user {UserId} is no administrator of group {ChatId}; its settings stay as they are",
                message.Channel, message.UserId, message.ChatId);
            return Reply.Text(say.GroupAdminsOnly);
        }

        return await DispatchAsync(conversation, command, cancellationToken);
    }

    // A malformed admin command is refused like a well-formed one: its usage line is for admins, not for a reader who
    // typed "取消" (cancel) or "/broadcast" on a whim.
    private static bool IsAdminCommand(Command command) =>
        command is PublishCommand or PublishDecisionCommand or BroadcastCommand or BroadcastDecisionCommand or StatsCommand or ResendCommand
            or TagCommand or BadCommand { Name: "tag" or "publish" or "broadcast" or "resend" or "send" or "cancel" };

    private static bool ChangesSettings(Command command) =>
        command is StartCommand or SubscribeCommand or UnsubscribeCommand or LangCommand or TopicsCommand { Action: not TopicAction.Show };

    /// <summary>The group's platform says so; or the group speaks as itself (a Telegram group's anonymous administrators do).</summary>
    private async Task<bool> IsGroupAdministratorAsync(InboundMessage message, CancellationToken cancellationToken) =>
        message.UserId == message.ChatId
        || (groupAdministrators.FirstOrDefault(g => g.Channel == message.Channel) is { } administrators
            && await administrators.IsAdministratorAsync(message.ChatId, message.UserId, cancellationToken));

    private async Task<Reply> DispatchAsync(Conversation conversation, Command command, CancellationToken cancellationToken)
    {
        var say = conversation.Say;
        return command switch
        {
            StartCommand start => await subscription.StartAsync(conversation, start.Payload, cancellationToken),
            HelpCommand => SubscriptionReplies.Help(conversation),
            LatestCommand => await reading.LatestAsync(conversation, cancellationToken),
            PaperCommand paper => await reading.PaperAsync(conversation, paper, cancellationToken),
            BibCommand bib => await reading.BibAsync(conversation, bib, cancellationToken),
            TagCommand tag => await admin.TagAsync(conversation, tag, cancellationToken),
            IssueCommand issue => await reading.IssueAsync(conversation, issue.IssueId, cancellationToken),
            IssuesCommand => await reading.ArchiveAsync(conversation, cancellationToken),
            SearchCommand search => await reading.SearchAsync(conversation, search.Words, cancellationToken),
            TopicsCommand topicsCommand => await topics.HandleAsync(conversation, topicsCommand, cancellationToken),
            SubscribeCommand => subscription.Subscribe(conversation),
            UnsubscribeCommand => SubscriptionReplies.Unsubscribe(conversation),
            LangCommand lang => SubscriptionReplies.Language(conversation, lang.Language),
            StatusCommand => await subscription.StatusAsync(conversation, cancellationToken),
            PublishCommand publish => await admin.PreviewPublishAsync(conversation, publish.IssueId, cancellationToken),
            PublishDecisionCommand decision => await admin.DecidePublishAsync(conversation, decision, cancellationToken),
            BroadcastCommand broadcast => await admin.BroadcastAsync(conversation, broadcast.Text, cancellationToken),
            StatsCommand => await admin.StatsAsync(conversation, cancellationToken),
            ResendCommand resend => await admin.ResendAsync(conversation, resend.IssueId, cancellationToken),
            BroadcastDecisionCommand decision => await admin.DecideBroadcastAsync(conversation, decision, cancellationToken),
            BadCommand bad => await UsageAsync(conversation, bad, cancellationToken),
            UnknownCommand unknown => Reply.Text(say.UnknownCommand(unknown.Word)),
            NotACommand { Text.Length: 0 } => Reply.Text(say.NotUnderstoodEmpty),
            NotACommand text => Reply.Text(say.NotUnderstood(text.Text)),
            _ => Reply.Text(say.NotUnderstoodEmpty),
        };
    }

    private async Task<Reply> UsageAsync(Conversation conversation, BadCommand bad, CancellationToken cancellationToken)
    {
        var say = conversation.Say;
        return Reply.Text(bad.Problem switch
        {
            Problem.MissingNumber when bad.Name is "send" or "cancel" => say.BroadcastDecisionUsage,
            Problem.MissingNumber => say.PaperMissingNumber(bad.Name, await LatestPaperCountAsync(cancellationToken)),
            Problem.NotANumber => say.PaperNotANumber(bad.Name, bad.Argument ?? "", await LatestPaperCountAsync(cancellationToken)),
            Problem.NotAnIssueNumber => say.NotAnIssueNumber(bad.Argument ?? ""),
            Problem.MissingIssueNumber => say.ResendUsage,
            Problem.MissingWords => say.SearchMissingWords,
            Problem.MissingTopic => say.MissingTopic,
            Problem.UnknownTopicAction => say.TopicUsage,
            Problem.BadLanguage => say.BadLanguage,
            Problem.MissingText => say.BroadcastMissingText,
            Problem.ExpiredButton => say.ExpiredButton,
            Problem.TagUsage => say.TagUsage,
            Problem.TooLong when bad.Name == "search" => say.SearchTooLong,
            _ => say.TooLong,
        });
    }

    private async Task<int> LatestPaperCountAsync(CancellationToken cancellationToken) =>
        (await reading.LatestPaperCountAsync(cancellationToken)) ?? 0;
}
