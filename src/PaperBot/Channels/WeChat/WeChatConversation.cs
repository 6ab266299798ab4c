using Microsoft.EntityFrameworkCore;
using PaperBot.Channels.WeChat.Articles;
using PaperBot.Core.Commands;
using PaperBot.Core.Data;
using PaperBot.Core.Sending;
using PaperBot.Core.Subscribers;
using PaperBot.WeChat;

namespace PaperBot.Channels.WeChat;

/// <summary>Answers one message from WeChat: through the command engine, with whatever waits for the subscriber.</summary>
public sealed class WeChatConversation(
    CommandEngine engine,
    SubscriberDirectory subscribers,
    WeChatOffers offers,
    PaperBotDbContext db,
    ArticlePublisher articles,
    DeliveryResults deliveries,
    WeChatMassSendReports reports,
    ILogger<WeChatConversation> logger)
{
    /// <param name="bodySigned">The message body was signed (compatible or safe mode), so its sender is who it says.</param>
    public async Task<WeChatAnswer> AnswerAsync(WeChatInboundMessage message, bool bodySigned, string publicBaseUrl, CancellationToken cancellationToken)
    {
        var openId = message.FromUserName;
        switch (WeChatInbound.Classify(message))
        {
            case WeChatAction.Command command:
            {
                var reply = await engine.HandleAsync(WeChatInbound.ToInbound(openId, command.Text) with { BodySigned = bodySigned }, cancellationToken);
                var shownIssue = reply.Messages.Select(m => m.Issue).FirstOrDefault(issue => issue is not null);
                var offer = await offers.TakeAsync(openId, shownIssue, WeChatFormatter.FooterBytes(reply), cancellationToken);
                return WeChatFormatter.Answer(reply, offer?.Lines, publicBaseUrl) with { Offered = offer?.Deliveries ?? [] };
            }

            case WeChatAction.Hint:
            {
                // Any message from the user opens WeChat's 48-hour window for customer-service messages.
                var subscriber = await subscribers.TouchAsync(WeChatInbound.ToInbound(openId, null), cancellationToken);
                await db.SaveChangesAsync(cancellationToken);
                var hint = Reply.Text(WeChatPhrases.For(subscriber.Language).TextOnly);
                var offer = await offers.TakeAsync(openId, shownIssue: null, WeChatFormatter.FooterBytes(hint), cancellationToken);
                return WeChatFormatter.Answer(hint, offer?.Lines, publicBaseUrl) with { Offered = offer?.Deliveries ?? [] };
            }

            case WeChatAction.Unsubscribe:
                await UnsubscribeAsync(openId, cancellationToken);
                return new WeChatAnswer.Empty();

            case WeChatAction.MassSendReport report:
                LogMassSendReport(report.Report);
                await FailMassSendAsync(report.Report, cancellationToken);
                await articles.RecordAsync(report.Report, cancellationToken);
                return new WeChatAnswer.Empty();

            case WeChatAction.PublishReport published:
                await articles.RecordAsync(published.Job, cancellationToken);
                return new WeChatAnswer.Empty();

            default:
                return new WeChatAnswer.Empty();
        }
    }

    private async Task UnsubscribeAsync(string openId, CancellationToken cancellationToken)
    {
        var subscriber = await subscribers.FindAsync(Channel.WeChat, openId, cancellationToken);
        if (subscriber is not { Status: SubscriberStatus.Active })
            return;
        subscriber.Status = SubscriberStatus.Unsubscribed;
        await db.SaveChangesAsync(cancellationToken);
        logger.LogInformation("wechat: {OpenId} unfollowed the account; pushes to them stopped", openId);
    }

    /// <summary>
    /// A push's mass send that went to no one: its group's deliveries fail with WeChat's reason. A report that it went out
    /// changes none of them, even with an ErrorCount (WeChat does not say whose); an article's msg_id, or one not ours, none.
    /// A failure whose send no delivery is recorded by yet (its result not written) is kept until one is.
    /// </summary>
    private async Task FailMassSendAsync(MassSendJobFinishEvent report, CancellationToken cancellationToken)
    {
        if (report.Failure is not { } failure)
            return;
        var reason = WeChatSender.MassSendFailedReason(report.MsgId, failure);
        var failed = await deliveries.FailMassSendAsync(report.MsgId, reason, cancellationToken);
        if (failed == 0 && !await db.Deliveries.AnyAsync(d => d.MassSendMsgId == report.MsgId, cancellationToken)
            && !await db.IssueArticles.AnyAsync(a => a.MassSendMsgId == report.MsgId, cancellationToken))
            await reports.KeepAsync(report.MsgId, reason, cancellationToken);
        else if (failed > 0)
            logger.LogWarning("wechat: mass send msg_id {MsgId} went to no one ({Reason}): its {Count} deliveries failed; resend the issue once that is dealt with", report.MsgId, failure, failed);
    }

    private void LogMassSendReport(MassSendJobFinishEvent report) =>
        logger.LogInformation(
            "wechat: mass send msg_id {MsgId} finished with {Status}: {SentCount} of {TotalCount} sent, {ErrorCount} failed",
            report.MsgId, report.Status, report.SentCount, report.TotalCount, report.ErrorCount);
}
