// The article's way through the platform, one step at a time, each recorded in IssueArticle before the next:
//   cover      material/add_material (the draft's thumb_media_id) and media/uploadimg (the same image inside it),
//              uploaded again only when what the cover shows changes;
//   draft      draft/add once, then draft/update for every later save, so edits before publishing never make a
//              second draft;
//   out        message/mass/sendall to every follower (verified accounts), which publishes the article too, with a
//              clientmsgid derived from the issue: repeating the call after a timeout or a crash is refused by WeChat
//              (45065) instead of sending twice. Where the account may not mass-send (48001), freepublish/submit
//              publishes it without notifying anyone, and freepublish/get is polled with backoff for the address
//              (the PUBLISHJOBFINISH event may bring it first). freepublish/submit has no de-duplication key: a
//              submit whose answer was lost is repeated with the same draft, never a new one, so the second is
//              refused (40007) if the first took it. A job WeChat ends without publishing (原创失败, 常规失败,
//              审核不通过) is not submitted again by the push, only by an admin's publish; once that succeeds, the
//              push's deliveries the refusal failed are queued again (Resender), to be offered the article.
// One process takes a step at a time, holding the article with a lease in the database: instances sharing it
// (PostgreSQL) or the `article` verb beside the bot would otherwise each find no draft, add their own, and publish twice.
// WeChat removes a draft from the draft box once it is published or mass-sent, so these are alternatives: never both.
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PaperBot.Core.Data;
using PaperBot.Core.Issues;
using PaperBot.Core.Publishing;
using PaperBot.Core.Subscribers;
using PaperBot.Web;
using PaperBot.WeChat;

namespace PaperBot.Channels.WeChat.Articles;

/// <summary>What an article step came to.</summary>
public abstract record ArticleOutcome
{
    public sealed record Drafted(string MediaId, bool Updated) : ArticleOutcome;

    /// <summary>Mass-sent to every follower (and so published); <paramref name="Earlier"/>: by an earlier attempt.</summary>
    public sealed record MassSent(long MsgId, bool Earlier) : ArticleOutcome;

    /// <summary>
    /// Published without a mass send: the account may not mass-send. <paramref name="Url"/> is null while the job runs;
    /// <paramref name="Unconfirmed"/> says why WeChat's own word is missing, or that the article published is gone since
    /// (deleted on the platform, or blocked by it); <paramref name="Requeued"/>: the push's
    /// deliveries that had failed because WeChat refused an earlier publish, queued again by this one.
    /// </summary>
    public sealed record Published(string? Url, string? Unconfirmed = null, int Requeued = 0) : ArticleOutcome;

    /// <summary>The platform said no, or the article cannot be made; <paramref name="Error"/> is WeChat's answer when there was one.</summary>
    public sealed record Refused(string Reason, WeChatException? Error = null) : ArticleOutcome;

    public sealed record IssueMissing(int IssueId) : ArticleOutcome;

    /// <summary>Another instance is taking a step with the article right now; nothing was done: try again shortly.</summary>
    public sealed record Busy(string Reason) : ArticleOutcome;
}

public sealed class ArticlePublisher(
    IServiceScopeFactory scopes,
    ArticleRenderer renderer,
    ArticleCover covers,
    IOptions<WeChatOptions> wechat,
    IOptions<WebOptions> web,
    TimeProvider clock,
    InstanceIdentity instance,
    ILogger<ArticlePublisher> logger,
    WeChatApiClient? api = null) : IDisposable
{
    /// <summary>WeChat de-duplicates a clientmsgid for 24 hours; an unanswered mass send older than this is not repeated.</summary>
    public static readonly TimeSpan ClientMsgIdWindow = TimeSpan.FromHours(23);

    /// <summary>How long a publishing job is polled before the step returns and leaves the rest to the event or a later look.</summary>
    public static readonly TimeSpan PollBudget = TimeSpan.FromMinutes(3);

    /// <summary>
    /// How long an instance holds the article for one step: more than the step's WeChat calls can take (20 s each), so
    /// that only a crashed holder's lease runs out; the step's records let the next holder continue where it stopped.
    /// </summary>
    public static readonly TimeSpan StepLease = TimeSpan.FromMinutes(5);

    /// <summary>How the reason begins of a push's deliveries failed because WeChat ended the publishing job without publishing.</summary>
    public const string PublishRefusedReason = "WeChat did not publish the article: ";

    public const string NoApi = "the WeChat API is off: set WeChat__Token, WeChat__AppId and WeChat__AppSecret, or use “Copy for the WeChat editor”";

    private readonly SemaphoreSlim gate = new(1, 1);

    /// <summary>Renders the issue and saves it as the account's draft: the first time draft/add, then draft/update.</summary>
    public async Task<ArticleOutcome> SaveDraftAsync(int issueId, string actor, CancellationToken cancellationToken)
    {
        if (api is null)
            return new ArticleOutcome.Refused(NoApi);
        await using (var hold = await HoldAsync(issueId, cancellationToken))
        {
            if (hold.Elsewhere is { } busy)
                return busy;
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<PaperBotDbContext>();
            if (await LoadAsync(db, issueId, cancellationToken) is not var (issue, article))
                return new ArticleOutcome.IssueMissing(issueId);
            if (MassSendFailure(article) is { } failed)
                return new ArticleOutcome.Refused(failed);
            if (article.PublishedAt is not null || article.MassSendMsgId is not null || article.PublishId is not null)
                return new ArticleOutcome.Refused("the article is already published on WeChat; a published article cannot be changed from here");
            if (article.PublishSubmittedAt is not null)
                return new ArticleOutcome.Refused(SubmitUnanswered(article.PublishSubmittedAt.Value) + "; publish again to finish it");
            // WeChat may have taken the draft out of the draft box with that send: a save now would add a second one.
            if (article.MassSendStartedAt is { } started)
                return new ArticleOutcome.Refused(MassSendUnanswered(started) + "; publish again to finish it (WeChat recognises the repeat and sends nothing twice)");
            var outcome = await StepAsync(db, article, () => DraftAsync(db, issue, article, cancellationToken), cancellationToken);
            if (outcome is ArticleOutcome.Drafted drafted)
                db.Audit(clock.GetUtcNow(), actor, "article-draft", $"issue {issueId}: draft {(drafted.Updated ? "updated" : "created")}");
            await db.SaveChangesAsync(cancellationToken);
            return outcome;
        }
    }

    /// <summary>After an edit: the draft on WeChat is saved again when there is one; null when there is none to update.</summary>
    public async Task<ArticleOutcome?> RefreshDraftAsync(int issueId, string actor, CancellationToken cancellationToken)
    {
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PaperBotDbContext>();
            if (api is null || !await db.IssueArticles.AnyAsync(a => a.IssueId == issueId && a.DraftMediaId != null && a.MassSendStartedAt == null && a.PublishSubmittedAt == null, cancellationToken))
                return null;
        }

        return await SaveDraftAsync(issueId, actor, cancellationToken);
    }

    /// <summary>
    /// Brings the article out at an admin's request (the article page, the CLI): the draft saved with the issue as it is
    /// now, then mass-sent to every follower, or published where the account may not mass-send. Safe to repeat: what is
    /// done is not done again; a publish WeChat refused is tried again.
    /// </summary>
    public Task<ArticleOutcome> PublishAsync(int issueId, string actor, CancellationToken cancellationToken) =>
        PublishAsync(issueId, actor, tryRefusedAgain: true, cancellationToken);

    /// <summary>
    /// The push's way out for the article, asked by every group of the push: as <see cref="PublishAsync(int, string, CancellationToken)"/>,
    /// but a publish WeChat refused is answered with WeChat's reason, not submitted again.
    /// </summary>
    public Task<ArticleOutcome> PublishForPushAsync(int issueId, CancellationToken cancellationToken) =>
        PublishAsync(issueId, "delivery", tryRefusedAgain: false, cancellationToken);

    private async Task<ArticleOutcome> PublishAsync(int issueId, string actor, bool tryRefusedAgain, CancellationToken cancellationToken)
    {
        var outcome = await OutOnceAsync(issueId, actor, tryRefusedAgain, cancellationToken);
        // However an admin's publish leaves the article published (its job's report, a repeated submit WeChat answered
        // 40007 because the lost first one took the draft, or a publish before whose requeue was cut short), the
        // deliveries WeChat's earlier refusal failed are queued again: nothing else would send them.
        if (tryRefusedAgain && outcome is ArticleOutcome.Published { Requeued: 0 } published && await IsPublishedAsync(issueId, cancellationToken))
            return published with { Requeued = await RequeueRefusedAsync(issueId, actor, cancellationToken) };
        return outcome;
    }

    private async Task<ArticleOutcome> OutOnceAsync(int issueId, string actor, bool tryRefusedAgain, CancellationToken cancellationToken)
    {
        if (api is null)
            return new ArticleOutcome.Refused(NoApi);
        string? publishId;
        ArticleOutcome? stepped = null;
        await using (var hold = await HoldAsync(issueId, cancellationToken))
        {
            if (hold.Elsewhere is { } busy)
                return busy;
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<PaperBotDbContext>();
            if (await LoadAsync(db, issueId, cancellationToken) is not var (issue, article))
                return new ArticleOutcome.IssueMissing(issueId);
            if (MassSendFailure(article) is { } failed)
                return new ArticleOutcome.Refused(failed);
            if (article.MassSendMsgId is { } sent)
                return new ArticleOutcome.MassSent(sent, Earlier: true);
            if (article.PublishedAt is not null)
                return new ArticleOutcome.Published(issue.ArticleUrl, article.LastError);
            if (!tryRefusedAgain && PublishRefusal(article) is { } refusal)
                return new ArticleOutcome.Refused(refusal);

            if (article.PublishId is null)
            {
                var outcome = await StepAsync(db, article, () => OutAsync(db, issue, article, actor, cancellationToken), cancellationToken);
                await db.SaveChangesAsync(cancellationToken);
                if (outcome is not ArticleOutcome.Published)
                    return outcome;
                stepped = outcome;
            }

            publishId = article.PublishId;
        }

        return publishId is null ? stepped ?? new ArticleOutcome.Published(null) : await AwaitPublishingAsync(issueId, publishId, actor, cancellationToken);
    }

    /// <summary>WeChat's report on a mass send (MASSSENDJOBFINISH): its counts, and the article's address.</summary>
    public async Task RecordAsync(MassSendJobFinishEvent report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PaperBotDbContext>();
        var article = await db.IssueArticles.FirstOrDefaultAsync(a => a.MassSendMsgId == report.MsgId, cancellationToken);
        if (article is null)
            return;
        article.MassSendStatus = report.Status;
        (article.TotalCount, article.FilterCount, article.SentCount, article.ErrorCount) = (report.TotalCount, report.FilterCount, report.SentCount, report.ErrorCount);
        article.UpdatedAt = clock.GetUtcNow();
        if (MassSendFailure(article) is { } failed)
        {
            // The platform's check stopped it after sendall took it: it went to no one and is not published.
            article.PublishedAt = null;
            article.LastError = failed;
            logger.LogWarning("wechat: the mass send of issue {IssueId}'s article (msg_id {MsgId}) went to no one: {Reason}", article.IssueId, report.MsgId, report.Failure);
        }

        if (WebLink(report.ArticleUrls) is { } url)
            await db.Issues.Where(i => i.Id == article.IssueId).ExecuteUpdateAsync(i => i.SetProperty(x => x.ArticleUrl, url), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        logger.LogInformation("wechat: article of issue {IssueId} mass-sent as msg_id {MsgId}: {Status}, {SentCount} of {TotalCount} sent, {ErrorCount} failed",
            article.IssueId, report.MsgId, report.Status, report.SentCount, report.TotalCount, report.ErrorCount);
    }

    /// <summary>A publishing job finished (PUBLISHJOBFINISH, or found by polling).</summary>
    public Task RecordAsync(WeChatPublishJob job, CancellationToken cancellationToken) => RecordAsync(job, "wechat", cancellationToken);

    /// <summary>
    /// As <see cref="RecordAsync(WeChatPublishJob, CancellationToken)"/>; once the article is published, the push's
    /// deliveries that failed because WeChat refused an earlier publish are queued again, by <paramref name="actor"/>
    /// (the cause is dealt with: they are offered the published article). Returns how many.
    /// </summary>
    private async Task<int> RecordAsync(WeChatPublishJob job, string actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (!job.IsFinished)
            return 0;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PaperBotDbContext>();
        var article = await db.IssueArticles.FirstOrDefaultAsync(a => a.PublishId == job.PublishId, cancellationToken);
        if (article is null || article.PublishedAt is not null)
            return 0;
        article.UpdatedAt = clock.GetUtcNow();
        if (job.Status == WeChatPublishStatus.Succeeded)
        {
            // Published, whether or not the report carries the address (article_detail).
            var url = WebLink(job.ArticleUrls);
            article.PublishedAt = clock.GetUtcNow();
            article.LastError = null;
            await db.Issues.Where(i => i.Id == article.IssueId).ExecuteUpdateAsync(i => i.SetProperty(x => x.ArticleUrl, url), cancellationToken);
            logger.LogInformation("wechat: article of issue {IssueId} published at {Url}", article.IssueId, url ?? "(no address in WeChat's report)");
        }
        else if (GoneSincePublished(job.Status) is { } gone)
        {
            // Published, and deleted on the platform or blocked by it before anyone asked: not a refusal. The push's
            // readers are offered the issue as after any publish; nobody publishes it again without the admin knowing.
            article.PublishedAt = clock.GetUtcNow();
            article.LastError = gone;
            logger.LogWarning("wechat: article of issue {IssueId} was published, and {Reason}", article.IssueId, WeChatPublishJob.Describe(job.Status));
        }
        else
        {
            article.PublishRefusedStatus = (int)job.Status;
            article.LastError = PublishRefusal(article);
            article.PublishId = null;
            article.PublishSubmittedAt = null;
            logger.LogWarning("wechat: article of issue {IssueId} was not published: {Reason}", article.IssueId, WeChatPublishJob.Describe(job.Status));
        }

        await db.SaveChangesAsync(cancellationToken);
        return article.PublishedAt is null ? 0 : await RequeueRefusedAsync(article.IssueId, actor, cancellationToken);
    }

    /// <summary>
    /// The article is published: the push's deliveries that failed because WeChat refused an earlier publish are queued
    /// again, by <paramref name="actor"/> (the cause is dealt with: they are offered the published article). Returns how many.
    /// </summary>
    private async Task<int> RequeueRefusedAsync(int issueId, string actor, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var resent = await scope.ServiceProvider.GetRequiredService<Resender>()
            .ResendFailedAsync(issueId, Channel.WeChat, PublishRefusedReason, actor, cancellationToken);
        return resent is ResendOutcome.Requeued requeued ? requeued.Deliveries : 0;
    }

    private async Task<bool> IsPublishedAsync(int issueId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<PaperBotDbContext>().IssueArticles
            .AnyAsync(a => a.IssueId == issueId && a.PublishedAt != null, cancellationToken);
    }

    public void Dispose() => gate.Dispose();

    /// <summary>What a publish tells the admin, after the address, of the deliveries it queued again (<see cref="ArticleOutcome.Published.Requeued"/>).</summary>
    public static string RequeuedNote(int requeued) => requeued switch
    {
        0 => "",
        1 => "; 1 delivery that failed because WeChat did not publish the article is queued again",
        _ => $"; {requeued} deliveries that failed because WeChat did not publish the article are queued again",
    };

    /// <summary>The lease an instance holds while it takes a step with the issue's article.</summary>
    public static string LeaseName(int issueId) => $"wechat-article-{issueId}";

    public static string ClientMsgIdFor(Issue issue) => $"paperbot-issue-{issue.Id}-{issue.ContentHash[..16]}";

    /// <summary>Runs a step; a WeChat error is kept on the article, in an admin's words, and returned.</summary>
    private async Task<ArticleOutcome> StepAsync(PaperBotDbContext db, IssueArticle article, Func<Task<ArticleOutcome>> step, CancellationToken cancellationToken)
    {
        try
        {
            var outcome = await step();
            article.LastError = outcome switch
            {
                ArticleOutcome.Refused refused => refused.Reason,
                ArticleOutcome.Published { Unconfirmed: { } why } => why,
                _ => null,
            };
            article.UpdatedAt = clock.GetUtcNow();
            return outcome;
        }
        catch (WeChatException error)
        {
            logger.LogWarning("wechat: article step for issue {IssueId} failed: {Reason}", article.IssueId, WeChatErrors.Describe(error));
            article.LastError = WeChatErrors.ForAdmin(error);
            article.UpdatedAt = clock.GetUtcNow();
            await db.SaveChangesAsync(cancellationToken);
            return new ArticleOutcome.Refused(article.LastError, error);
        }
        catch (CoverUnavailableException error)
        {
            article.LastError = error.Message;
            return new ArticleOutcome.Refused(error.Message);
        }
    }

    private async Task<ArticleOutcome> DraftAsync(PaperBotDbContext db, Issue issue, IssueArticle article, CancellationToken cancellationToken)
    {
        var cover = covers.For(issue);
        if (article.CoverFingerprint != cover.Fingerprint || article.CoverMediaId is null || article.CoverImageUrl is null)
        {
            var image = await api!.AddImageMaterialAsync(cover.Upload, cancellationToken);
            article.CoverMediaId = image.MediaId;
            article.CoverImageUrl = await api.UploadArticleImageAsync(cover.Upload, cancellationToken);
            article.CoverFingerprint = cover.Fingerprint;
            await db.SaveChangesAsync(cancellationToken);
        }

        var content = renderer.Html(issue, article.CoverImageUrl);
        if (content.Length >= WeChatDraftArticle.MaxContentLength)
            return new ArticleOutcome.Refused($"the article is {content.Length:N0} characters long; WeChat takes fewer than {WeChatDraftArticle.MaxContentLength:N0}: shorten the summaries");
        var draft = new WeChatDraftArticle(
            ArticleRenderer.Title(issue), wechat.Value.Article.Author, ArticleRenderer.Digest(issue), content, SourceUrl(issue), article.CoverMediaId!);

        if (article.DraftMediaId is { } existing)
        {
            try
            {
                await api!.UpdateDraftAsync(existing, draft, cancellationToken);
                article.DraftSavedAt = clock.GetUtcNow();
                return new ArticleOutcome.Drafted(existing, Updated: true);
            }
            catch (WeChatApiException error) when (error.ErrorCode == WeChatErrors.InvalidMediaId)
            {
                // Deleted from the draft box on the platform: a new draft is the only way on.
                logger.LogInformation("wechat: the draft of issue {IssueId} is gone from the draft box; creating it again", issue.Id);
            }
        }

        article.DraftMediaId = await api!.AddDraftAsync(draft, cancellationToken);
        article.DraftSavedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        return new ArticleOutcome.Drafted(article.DraftMediaId, Updated: false);
    }

    private async Task<ArticleOutcome> OutAsync(PaperBotDbContext db, Issue issue, IssueArticle article, string actor, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (!article.MassSendRefused && article.MassSendStartedAt is { } started && now - started > ClientMsgIdWindow)
            return new ArticleOutcome.Refused(
                MassSendUnanswered(started) + ", and WeChat only recognises a repeat within 24 hours: check 发表记录 on the platform before sending it again");

        // Before a mass send or a publish was ever tried, the draft is saved with the issue as it is now; a retry sends the same draft.
        if ((article.MassSendStartedAt is null && article.PublishSubmittedAt is null) || article.DraftMediaId is null)
        {
            if (await DraftAsync(db, issue, article, cancellationToken) is ArticleOutcome.Refused refused)
                return refused;
        }

        var draft = article.DraftMediaId!;
        if (!article.MassSendRefused)
        {
            article.ClientMsgId ??= ClientMsgIdFor(issue);
            article.MassSendStartedAt ??= now;
            await db.SaveChangesAsync(cancellationToken);
            try
            {
                var sent = await api!.MassSendArticleToAllAsync(draft, article.ClientMsgId, cancellationToken);
                article.MassSendMsgId = sent.MsgId;
                article.PublishedAt = clock.GetUtcNow();
                article.DraftMediaId = null;
                db.Audit(clock.GetUtcNow(), actor, "article-mass-send", $"issue {issue.Id}: msg_id {sent.MsgId}{(sent.AlreadySent ? " (sent by an earlier attempt)" : "")}");
                logger.LogInformation("wechat: article of issue {IssueId} mass-sent to every follower as msg_id {MsgId}{Earlier}",
                    issue.Id, sent.MsgId, sent.AlreadySent ? " (by an earlier attempt)" : "");
                return new ArticleOutcome.MassSent(sent.MsgId, sent.AlreadySent);
            }
            catch (WeChatApiException error) when (error.Kind == WeChatErrorKind.Unauthorized)
            {
                logger.LogInformation("wechat: the account may not mass-send (errcode {ErrorCode}); publishing the article of issue {IssueId} instead", error.ErrorCode, issue.Id);
                article.MassSendRefused = true;
                article.MassSendStartedAt = null;
                article.ClientMsgId = null;
            }
            catch (WeChatApiException error) when (error.SaysNothingWasDone)
            {
                // WeChat answered no: nothing went out, so the next attempt is a first one again, with the draft saved anew.
                article.MassSendStartedAt = null;
                throw;
            }
        }

        var repeat = article.PublishSubmittedAt;
        article.PublishSubmittedAt ??= now;
        await db.SaveChangesAsync(cancellationToken);
        try
        {
            article.PublishId = await api!.SubmitPublishAsync(draft, cancellationToken);
            article.PublishRefusedStatus = null;
        }
        catch (WeChatApiException error) when (repeat is { } first && error.ErrorCode == WeChatErrors.InvalidMediaId)
        {
            // WeChat removes a draft once it publishes it: the lost submit took it. Taken as published, unconfirmed.
            logger.LogWarning("wechat: the repeated publish of issue {IssueId} found its draft gone: the submit of {Submitted} that got no answer most likely published it", issue.Id, first);
            article.PublishedAt = clock.GetUtcNow();
            article.DraftMediaId = null;
            article.PublishRefusedStatus = null;
            db.Audit(clock.GetUtcNow(), actor, "article-publish", $"issue {issue.Id}: taken as published by the submit of {first:O}, whose answer was lost");
            return new ArticleOutcome.Published(null, SubmitUnanswered(first) + ", and its draft has left the draft box: WeChat most likely published it then. Check 发表记录 on the platform; nothing was published again");
        }
        catch (WeChatApiException error) when (error.SaysNothingWasDone)
        {
            article.PublishSubmittedAt = null;
            throw;
        }

        article.DraftMediaId = null;
        db.Audit(clock.GetUtcNow(), actor, "article-publish", $"issue {issue.Id}: publish_id {article.PublishId}");
        return new ArticleOutcome.Published(null);
    }

    /// <summary>What the admin reads once WeChat reported that the mass send went to no one; null while it has not.</summary>
    private static string? MassSendFailure(IssueArticle article) =>
        article is { MassSendMsgId: { } msgId, MassSendStatus: { } status } && MassSendJobFinishEvent.FailureOf(status) is { } failure
            ? $"WeChat did not mass-send the article (msg_id {msgId}): {failure}. No follower got it; 发表记录 on the platform shows the refusal: correct the article there and send it from there"
            : null;

    /// <summary>What the admin and the push read once WeChat ended a publishing job without publishing the article; null while it has not.</summary>
    private static string? PublishRefusal(IssueArticle article) =>
        article.PublishRefusedStatus is { } status
            ? $"{PublishRefusedReason}{WeChatPublishJob.Describe((WeChatPublishStatus)status)}. The push does not submit it again: "
                + $"correct it if need be and publish it from the article page (or: article {article.IssueId} --publish)"
            : null;

    /// <summary>What the admin reads when WeChat's job published the article and it is gone since (publish_status 5 or 6); null for any other status.</summary>
    private static string? GoneSincePublished(WeChatPublishStatus status) => status switch
    {
        WeChatPublishStatus.DeletedByUser =>
            "WeChat published the article, and it has been deleted on the platform since (publish_status 5): its link no longer opens and it is not published again from here. "
            + "The push's readers are offered the issue with their next message",
        WeChatPublishStatus.BannedBySystem =>
            "WeChat published the article, and the platform has blocked it since (publish_status 6, 系统封禁): its link no longer opens and it is not published again from here; "
            + "发表记录 on the platform says why. The push's readers are offered the issue with their next message",
        _ => null,
    };

    private static string MassSendUnanswered(DateTimeOffset at) =>
        $"a mass send of this article started {at:yyyy-MM-dd HH:mm} UTC got no answer";

    private static string SubmitUnanswered(DateTimeOffset at) =>
        $"a publish of this article submitted {at:yyyy-MM-dd HH:mm} UTC got no answer";

    /// <summary>Polls freepublish/get with backoff (1 s doubling to 30 s) until the job ends, the event ends it, or the budget is spent.</summary>
    private async Task<ArticleOutcome> AwaitPublishingAsync(int issueId, string publishId, string actor, CancellationToken cancellationToken)
    {
        var waited = TimeSpan.Zero;
        var delay = TimeSpan.FromSeconds(1);
        while (true)
        {
            if (await PublishedUrlAsync(issueId, cancellationToken) is { } done)
                return done;
            try
            {
                var job = await api!.GetPublishJobAsync(publishId, cancellationToken);
                if (job.IsFinished)
                {
                    var requeued = await RecordAsync(job, actor, cancellationToken);
                    return await PublishedUrlAsync(issueId, cancellationToken) switch
                    {
                        ArticleOutcome.Published published => published with { Requeued = requeued },
                        { } other => other,
                        null => new ArticleOutcome.Refused($"{PublishRefusedReason}{WeChatPublishJob.Describe(job.Status)}"),
                    };
                }
            }
            catch (WeChatException error) when (error is WeChatTransportException { IsRetryable: true } or WeChatApiException { IsRetryable: true })
            {
                logger.LogInformation("wechat: unable to ask about publishing job {PublishId}: {Reason}; asking again", publishId, WeChatErrors.Describe(error));
            }
            catch (WeChatException error)
            {
                // The article was submitted; only the question is refused. WeChat's PUBLISHJOBFINISH report still comes.
                logger.LogWarning("wechat: WeChat would not say how publishing job {PublishId} went: {Reason}", publishId, WeChatErrors.Describe(error));
                var why = $"WeChat took the article for publishing (publish_id {publishId}) but would not say how it went: {WeChatErrors.ForAdmin(error)}. The running bot records its address when WeChat reports it; check 发表记录 on the platform";
                // Kept with the article, so the article page says it too when the push, not an admin, published it.
                await using (var scope = scopes.CreateAsyncScope())
                {
                    var now = clock.GetUtcNow();
                    await scope.ServiceProvider.GetRequiredService<PaperBotDbContext>().IssueArticles
                        .Where(a => a.IssueId == issueId && a.PublishId == publishId && a.PublishedAt == null)
                        .ExecuteUpdateAsync(a => a.SetProperty(x => x.LastError, why).SetProperty(x => x.UpdatedAt, now), cancellationToken);
                }

                return new ArticleOutcome.Published(null, why);
            }

            if (waited >= PollBudget)
                return new ArticleOutcome.Published(null);
            await Task.Delay(delay, clock, cancellationToken);
            waited += delay;
            delay = TimeSpan.FromSeconds(Math.Min(30, delay.TotalSeconds * 2));
        }
    }

    private async Task<ArticleOutcome?> PublishedUrlAsync(int issueId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PaperBotDbContext>();
        var state = await db.IssueArticles.AsNoTracking().Where(a => a.IssueId == issueId)
            .Select(a => new { a.PublishedAt, a.PublishId, a.LastError }).FirstOrDefaultAsync(cancellationToken);
        if (state is { PublishedAt: not null })
            return new ArticleOutcome.Published(await db.Issues.Where(i => i.Id == issueId).Select(i => i.ArticleUrl).FirstOrDefaultAsync(cancellationToken), state.LastError);
        return state is { PublishId: null, LastError: { } reason } ? new ArticleOutcome.Refused(reason) : null;
    }

    /// <summary>
    /// The article is this process's for one step: the gate within it, then a lease in the database that every process
    /// using the database honours. <see cref="Hold.Elsewhere"/> when another holds it.
    /// </summary>
    private async Task<Hold> HoldAsync(int issueId, CancellationToken cancellationToken)
    {
        var lease = LeaseName(issueId);
        await gate.WaitAsync(cancellationToken);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var leases = scope.ServiceProvider.GetRequiredService<ClusterLeases>();
            if (await leases.TryAcquireAsync(lease, instance.Name, StepLease, cancellationToken))
                return new Hold(this, lease, null);
            var holder = (await leases.HolderAsync(lease, cancellationToken))?.Holder;
            logger.LogInformation("wechat: the article of issue {IssueId} is being published by {Holder}; not taking a step here", issueId, holder ?? "another instance");
            gate.Release();
            var who = holder is null ? "another instance" : $"another instance ({holder})";
            return new Hold(this, null, new ArticleOutcome.Busy($"the article is being published by {who} right now; try again in a minute"));
        }
        catch
        {
            gate.Release();
            throw;
        }
    }

    /// <summary>Held when <paramref name="lease"/> is set; disposing it lets the article go.</summary>
    private sealed class Hold(ArticlePublisher publisher, string? lease, ArticleOutcome.Busy? elsewhere) : IAsyncDisposable
    {
        public ArticleOutcome.Busy? Elsewhere => elsewhere;

        public async ValueTask DisposeAsync()
        {
            if (lease is not null)
                await publisher.LetGoAsync(lease);
        }
    }

    private async Task LetGoAsync(string lease)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<ClusterLeases>().ReleaseAsync(lease, instance.Name, CancellationToken.None);
        }
        finally
        {
            gate.Release();
        }
    }

    private static async Task<(Issue Issue, IssueArticle Article)?> LoadAsync(PaperBotDbContext db, int issueId, CancellationToken cancellationToken)
    {
        var issue = await db.Issues.AsNoTracking().Include(i => i.Papers).ThenInclude(p => p.Topics).AsSplitQuery()
            .FirstOrDefaultAsync(i => i.Id == issueId, cancellationToken);
        if (issue is null)
            return null;
        var article = await db.IssueArticles.FirstOrDefaultAsync(a => a.IssueId == issueId, cancellationToken);
        if (article is null)
        {
            article = new IssueArticle { IssueId = issueId };
            db.IssueArticles.Add(article);
        }

        return (issue, article);
    }

    /// <summary>
    /// 阅读原文: the issue's page in the web archive, when the public address is known and the page is there (a draft
    /// issue's is not found until it is published; the draft is saved again with the link when the article goes out).
    /// </summary>
    private string SourceUrl(Issue issue) =>
        web.Value.PublicUrl is { Length: > 0 } site && issue.Status == IssueStatus.Published ? $"{site.TrimEnd('/')}/issues/{issue.Id}" : "";

    /// <summary>The first address WeChat gave that is a web page: it becomes a public link on the issue's page.</summary>
    private static string? WebLink(IEnumerable<string> urls) =>
        urls.FirstOrDefault(u => Uri.TryCreate(u, UriKind.Absolute, out var link) && (link.Scheme == Uri.UriSchemeHttps || link.Scheme == Uri.UriSchemeHttp));
}
