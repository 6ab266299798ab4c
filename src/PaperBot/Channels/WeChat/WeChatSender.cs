using System.Globalization;
using System.Security.Cryptography;
using System.Text;
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

    /// <summary>
    /// Why a group's deliveries failed when WeChat's report on their mass send says it went to no one (send fail, or the
    /// platform's check: err(10001) 涉嫌广告, …), as the article page words it for the article's.
    /// </summary>
    public static string MassSendFailedReason(long msgId, string failure) => string.Create(CultureInfo.InvariantCulture,
        $"WeChat did not mass-send it (msg_id {msgId}): {failure}. Nobody in this mass send got it, and it is not sent again by itself: 群发记录 on the platform shows why; resend sends it again, and a message the platform's check refused is refused again unless what it objected to has changed");

    /// <summary>Why a resend failed that WeChat took for a repeat of the mass send that went to no one (the same clientmsgid).</summary>
    public static string RepeatOfFailedReason(long msgId) => string.Create(CultureInfo.InvariantCulture,
        $"WeChat took this resend for a repeat of mass send msg_id {msgId} (errcode 45065: the same subscribers and text within 24 hours), which went to no one; nothing was sent. Resend it after those 24 hours, or once the message has changed");

    private WeChatPushMode Mode => options.Value.PushMode;

    public Channel Channel => Channel.WeChat;

    public int MaxBatchSize => Mode is WeChatPushMode.MassSend or WeChatPushMode.Article ? WeChatApiClient.MaxMassSendRecipients : 1;

    private static readonly TimeSpan MassSendSpacing = TimeSpan.FromSeconds(1);

    private readonly Lock massSendGate = new();
    private DateTimeOffset nextMassSend = DateTimeOffset.MinValue;

    public async Task<SendResult> SendAsync(Recipient recipient, IReadOnlyList<ReplyMessage> messages, int fromPart, CancellationToken cancellationToken)
    {
        if (Mode == WeChatPushMode.CustomerService)
            return await SendPartsAsync(recipient, messages, fromPart, cancellationToken);
        var outcome = Mode == WeChatPushMode.Article
            ? (await SendArticleAsync([recipient], messages, cancellationToken))[0]
            : await SendOneAsync(recipient, WeChatFormatter.Text(messages), cancellationToken);
        return new SendResult(outcome, outcome is SendOutcome.Delivered ? 1 : 0);
    }

    /// <summary>
    /// Customer-service messages spend no monthly quota, so a push longer than one text (a long announcement or issue)
    /// goes whole, one message per part (<see cref="WeChatFormatter.Parts"/>), in order from <paramref name="fromPart"/>;
    /// it stops at the first part that does not go through, and the retry starts there. A mass send stays one text, cut:
    /// each part would be another of the subscriber's four a month.
    /// </summary>
    private async Task<SendResult> SendPartsAsync(Recipient recipient, IReadOnlyList<ReplyMessage> messages, int fromPart, CancellationToken cancellationToken)
    {
        var parts = WeChatFormatter.Parts(messages);
        for (var part = fromPart; part < parts.Count; part++)
        {
            var outcome = await SendOneAsync(recipient, parts[part], cancellationToken);
            // An announcement (no issue) WeChat stopped after some parts is offered with the reader's next message
            // from where those parts ended, not again from its start.
            if (outcome is SendOutcome.Deferred deferred && part > 0 && messages is [{ Issue: null }])
                outcome = deferred with { Shown = WeChatFormatter.LastLineShown(messages, part) };
            if (outcome is not SendOutcome.Delivered)
                return new SendResult(outcome, part);
        }

        return new SendResult(new SendOutcome.Delivered(), Math.Max(parts.Count, fromPart));
    }

    /// <summary>One mass send for the whole group; a group of one goes as a customer-service message (a mass send takes at least two OpenIDs).</summary>
    public async Task<IReadOnlyList<SendOutcome>> SendBatchAsync(IReadOnlyList<Recipient> recipients, IReadOnlyList<ReplyMessage> messages, CancellationToken cancellationToken)
    {
        if (Mode == WeChatPushMode.Article)
            return await SendArticleAsync(recipients, messages, cancellationToken);
        var text = WeChatFormatter.Text(messages);
        if (Mode != WeChatPushMode.MassSend || api is null)
            return await OneByOneAsync(recipients, text, cancellationToken);
        return await MassSendAsync(api, recipients, text, Heading(messages), cancellationToken);
    }

    private async Task<SendOutcome> SendOneAsync(Recipient recipient, string text, CancellationToken cancellationToken)
    {
        if (Mode == WeChatPushMode.OnNextMessage || api is null)
            return new SendOutcome.Deferred(NextMessageReason);
        if (!await WroteRecentlyAsync(recipient, cancellationToken))
            return new SendOutcome.Deferred(OutsideWindowReason);

        try
        {
            await api.SendCustomTextAsync(recipient.ChatId, text, cancellationToken);
            return new SendOutcome.Delivered();
        }
        catch (WeChatException error)
        {
            logger.LogInformation("wechat: unable to send a customer-service message to {OpenId}: {Reason}", recipient.ChatId, WeChatErrors.Describe(error));
            return WeChatErrors.Outcome(error, clock.GetUtcNow());
        }
    }

    private async Task<IReadOnlyList<SendOutcome>> OneByOneAsync(IReadOnlyList<Recipient> recipients, string text, CancellationToken cancellationToken)
    {
        var outcomes = new List<SendOutcome>(recipients.Count);
        foreach (var recipient in recipients)
            outcomes.Add(await SendOneAsync(recipient, text, cancellationToken));
        return outcomes;
    }

    /// <summary>
    /// One call for the group, carrying a clientmsgid made from the recipients and the text, so the same group sent again
    /// after a lost answer is refused by Tencent as a repeat (45065) instead of reaching everyone twice. A recipient Tencent
    /// refuses fails the whole call: the group is halved until that recipient is found, so the others still get it.
    /// </summary>
    private async Task<IReadOnlyList<SendOutcome>> MassSendAsync(WeChatApiClient client, IReadOnlyList<Recipient> recipients, string text, string heading, CancellationToken cancellationToken)
    {
        if (recipients.Count < WeChatApiClient.MinMassSendRecipients)
            return await OneByOneAsync(recipients, text, cancellationToken);

        await WaitForMassSendTurnAsync(cancellationToken);
        SendOutcome outcome;
        try
        {
            var result = await client.MassSendTextAsync(recipients.Select(r => r.ChatId).ToList(), text, ClientMsgId(recipients, text), cancellationToken);
            if (result.AlreadySent && await FailedByItsReportAsync(result.MsgId, cancellationToken))
            {
                logger.LogWarning("wechat: mass send of \"{Heading}\" to {Count} subscribers was taken for a repeat of msg_id {MsgId} (errcode 45065), which went to no one; nothing was sent", heading, recipients.Count, result.MsgId);
                return recipients.Select(_ => (SendOutcome)new SendOutcome.Failed(RepeatOfFailedReason(result.MsgId))).ToList();
            }

            if (result.AlreadySent)
                logger.LogInformation("wechat: mass send of \"{Heading}\" to {Count} subscribers was already made as msg_id {MsgId} (errcode 45065): counted as sent, not sent again", heading, recipients.Count, result.MsgId);
            else
                logger.LogInformation("wechat: mass send of \"{Heading}\" to {Count} subscribers accepted as msg_id {MsgId}", heading, recipients.Count, result.MsgId);
            return recipients.Select(_ => (SendOutcome)new SendOutcome.Delivered(result.MsgId)).ToList();
        }
        catch (WeChatException error)
        {
            logger.LogWarning("wechat: unable to mass send \"{Heading}\" to {Count} subscribers: {Reason}", heading, recipients.Count, WeChatErrors.Describe(error));
            outcome = WeChatErrors.Outcome(error, clock.GetUtcNow());
        }

        if (outcome is not SendOutcome.ChatGone)
            return recipients.Select(_ => outcome).ToList();
        var half = recipients.Count / 2;
        return [.. await MassSendAsync(client, recipients.Take(half).ToList(), text, heading, cancellationToken),
            .. await MassSendAsync(client, recipients.Skip(half).ToList(), text, heading, cancellationToken)];
    }

    /// <summary>
    /// The deliveries being sent again were failed by this mass send's report (a resend of them): WeChat naming it as the
    /// earlier send (45065) means nothing went out now either.
    /// </summary>
    private async Task<bool> FailedByItsReportAsync(long msgId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PaperBotDbContext>();
        return await db.Deliveries.AnyAsync(d => d.MassSendMsgId == msgId && d.Status == DeliveryStatus.Pending, cancellationToken);
    }

    /// <summary>Mass sends go at most one a second: Tencent counts them per minute, and the engine hands over groups back to back.</summary>
    private async Task WaitForMassSendTurnAsync(CancellationToken cancellationToken)
    {
        DateTimeOffset turn;
        lock (massSendGate)
        {
            var now = clock.GetUtcNow();
            turn = nextMassSend > now ? nextMassSend : now;
            nextMassSend = turn + MassSendSpacing;
        }

        var wait = turn - clock.GetUtcNow();
        if (wait > TimeSpan.Zero)
            await Task.Delay(wait, clock, cancellationToken);
    }

    /// <summary>The same recipients and text give the same id (Tencent allows 64 characters).</summary>
    public static string ClientMsgId(IReadOnlyList<Recipient> recipients, string text)
    {
        var key = string.Join(',', recipients.Select(r => r.SubscriberId).Order()) + "\n" + text;
        return "paperbot-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..40];
    }

    /// <summary>How long a delivery waits while another instance publishes the article: its answer then settles the delivery.</summary>
    public static readonly TimeSpan ArticleBusyWait = TimeSpan.FromSeconds(30);

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
            outcome = await articles.PublishForPushAsync(issueId, cancellationToken) switch
            {
                ArticleOutcome.MassSent => new SendOutcome.Delivered(),
                ArticleOutcome.Published => new SendOutcome.Deferred(NoMassSendReason),
                ArticleOutcome.Busy busy => new SendOutcome.RetryAfter(ArticleBusyWait, RetryScope.Chat, busy.Reason),
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
