using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PaperBot.Channels.WeChat.Articles;
using PaperBot.Core.Commands;
using PaperBot.Core.Data;
using PaperBot.Core.Sending;
using PaperBot.Core.Subscribers;
using PaperBot.WeChat;

namespace PaperBot.Channels.WeChat;

/// <summary>
/// Pushes to WeChat subscribers for the sending engine, the way the account type allows (<see cref="WeChatPushMode"/>):
/// not at all (the delivery waits for the subscriber's next message), by customer-service message within 48 hours
/// of the subscriber's last message, by mass send to up to 10,000 OpenIDs at once, or as the issue's article.
/// </summary>
public sealed class WeChatSender(
    IOptions<WeChatOptions> options,
    IServiceScopeFactory scopes,
    TimeProvider clock,
    ILogger<WeChatSender> logger,
    WeChatApiClient? api = null,
    ArticlePublisher? articles = null) : IBatchChannelSender
{
    /// <summary>Customer-service messages reach a user for 48 hours after their last message, menu click or follow.</summary>
    public static readonly TimeSpan ReplyWindow = TimeSpan.FromHours(48);

    public const string NextMessageReason = "WeChat__PushMode is OnNextMessage: offered with the subscriber's next message";
    public const string OutsideWindowReason = "the subscriber has not written within 48 hours: offered with their next message";
    public const string NoMassSendReason = "the account may not mass-send (errcode 48001): the issue's article is published, and offered with the subscriber's next message";
    public const string AnnouncementReason = "WeChat__PushMode is Article: announcements are offered with the subscriber's next message";

    private WeChatPushMode Mode => options.Value.PushMode;

    public Channel Channel => Channel.WeChat;

    public int MaxBatchSize => Mode is WeChatPushMode.MassSend or WeChatPushMode.Article ? WeChatApiClient.MaxMassSendRecipients : 1;

    public async Task<SendOutcome> SendAsync(Recipient recipient, IReadOnlyList<ReplyMessage> messages, CancellationToken cancellationToken)
    {
        if (Mode == WeChatPushMode.Article)
            return (await SendArticleAsync([recipient], messages, cancellationToken))[0];
        if (Mode == WeChatPushMode.OnNextMessage || api is null)
            return new SendOutcome.Deferred(NextMessageReason);
        if (!await WroteRecentlyAsync(recipient, cancellationToken))
            return new SendOutcome.Deferred(OutsideWindowReason);

        try
        {
            await api.SendCustomTextAsync(recipient.ChatId, WeChatFormatter.Text(messages), cancellationToken);
            return new SendOutcome.Sent();
        }
        catch (WeChatException error)
        {
            logger.LogInformation("wechat: unable to send a customer-service message to {OpenId}: {Reason}", recipient.ChatId, WeChatErrors.Describe(error));
            return WeChatErrors.Outcome(error, clock.GetUtcNow());
        }
    }

    /// <summary>One mass send for the whole group; a group of one goes as a customer-service message (a mass send takes at least two OpenIDs).</summary>
    public async Task<IReadOnlyList<SendOutcome>> SendBatchAsync(IReadOnlyList<Recipient> recipients, IReadOnlyList<ReplyMessage> messages, CancellationToken cancellationToken)
    {
        if (Mode == WeChatPushMode.Article)
            return await SendArticleAsync(recipients, messages, cancellationToken);
        if (Mode != WeChatPushMode.MassSend || api is null || recipients.Count < WeChatApiClient.MinMassSendRecipients)
        {
            var outcomes = new List<SendOutcome>(recipients.Count);
            foreach (var recipient in recipients)
                outcomes.Add(await SendAsync(recipient, messages, cancellationToken));
            return outcomes;
        }

        SendOutcome outcome;
        try
        {
            var result = await api.MassSendTextAsync(recipients.Select(r => r.ChatId).ToList(), WeChatFormatter.Text(messages), cancellationToken);
            logger.LogInformation("wechat: mass send of \"{Heading}\" to {Count} subscribers accepted as msg_id {MsgId}",
                Heading(messages), recipients.Count, result.MsgId);
            outcome = new SendOutcome.Sent();
        }
        catch (WeChatException error)
        {
            logger.LogWarning("wechat: unable to mass send \"{Heading}\" to {Count} subscribers: {Reason}", Heading(messages), recipients.Count, WeChatErrors.Describe(error));
            outcome = WeChatErrors.Outcome(error, clock.GetUtcNow());
        }

        return recipients.Select(_ => outcome).ToList();
    }

    /// <summary>
    /// Article mode: the issue goes out once, as the account's article mass-sent to every follower, and each delivery of
    /// the push is resolved by that one send (Sent). Where the account may not mass-send, the article is published and the
    /// deliveries wait for each subscriber's next message (Deferred). Every group of the push asks again; the publisher
    /// answers from what it recorded, so only the first does anything.
    /// </summary>
    private async Task<IReadOnlyList<SendOutcome>> SendArticleAsync(IReadOnlyList<Recipient> recipients, IReadOnlyList<ReplyMessage> messages, CancellationToken cancellationToken)
    {
        SendOutcome outcome;
        if (articles is null || messages is not [{ Issue: { } issueId }, ..])
            outcome = new SendOutcome.Deferred(articles is null ? NextMessageReason : AnnouncementReason);
        else
        {
            outcome = await articles.PublishAsync(issueId, "delivery", cancellationToken) switch
            {
                ArticleOutcome.MassSent => new SendOutcome.Sent(),
                ArticleOutcome.Published => new SendOutcome.Deferred(NoMassSendReason),
                ArticleOutcome.Refused { Error: { } error } => WeChatErrors.ForArticlePush(error, clock.GetUtcNow()),
                ArticleOutcome.Refused refused => new SendOutcome.Failed(refused.Reason),
                var other => new SendOutcome.Failed($"the article of issue {issueId} could not be sent: {other}"),
            };
        }

        return recipients.Select(_ => outcome).ToList();
    }

    private async Task<bool> WroteRecentlyAsync(Recipient recipient, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PaperBotDbContext>();
        var lastSeen = await db.Subscribers.AsNoTracking()
            .Where(s => s.Id == recipient.SubscriberId)
            .Select(s => (DateTimeOffset?)s.LastSeenAt)
            .FirstOrDefaultAsync(cancellationToken);
        return lastSeen is { } seen && clock.GetUtcNow() - seen < ReplyWindow;
    }

    private static string Heading(IReadOnlyList<ReplyMessage> messages) =>
        messages is [{ Lines: [var first, ..] }, ..] ? first.ToPlainText() : "";
}
