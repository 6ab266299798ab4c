using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PaperBot.Admin;
using PaperBot.Channels.WeChat;
using PaperBot.Channels.WeChat.Articles;
using PaperBot.Core.Data;
using PaperBot.Core.Issues;

namespace PaperBot.Pages.Admin;

/// <summary>
/// An issue's WeChat article: the phone preview (light and dark), the HTML to copy into WeChat's editor, the cover, and
/// the platform's steps — to drafts, then out — with what happened, in plain words.
/// </summary>
public sealed class AdminArticleModel(
    IssueReader reader, ArticleRenderer renderer, ArticleCover covers, ArticlePublisher publisher,
    IOptions<WeChatOptions> wechat, PaperBotDbContext db, AdminTime time, TimeProvider clock, IHostApplicationLifetime lifetime) : AdminPage
{
    /// <summary>How long the page waits for a publish before it shows the state so far (the step goes on).</summary>
    public static readonly TimeSpan PublishWait = TimeSpan.FromSeconds(15);

    public AdminTime Time => time;
    public Issue Issue { get; private set; } = null!;
    public IssueArticle? State { get; private set; }
    public string Theme { get; private set; } = "light";
    public bool HasApi => wechat.Value.HasApi;
    public WeChatPushMode PushMode => wechat.Value.PushMode;
    public int ContentLength { get; private set; }

    public async Task<IActionResult> OnGetAsync(int id, string? theme, CancellationToken cancellationToken)
    {
        if (await reader.FindAsync(id, includeUnpublished: true, cancellationToken) is not { } issue)
            return NotFound();
        Issue = issue;
        Theme = theme == "dark" ? "dark" : "light";
        State = await db.IssueArticles.AsNoTracking().FirstOrDefaultAsync(a => a.IssueId == id, cancellationToken);
        ContentLength = renderer.Html(issue, coverUrl: null).Length;
        return Page();
    }

    /// <summary>The phone preview's document (shown in an iframe).</summary>
    public async Task<IActionResult> OnGetPreviewAsync(int id, string? theme, CancellationToken cancellationToken)
    {
        if (await reader.FindAsync(id, includeUnpublished: true, cancellationToken) is not { } issue)
            return NotFound();
        var html = renderer.Html(issue, $"{Request.PathBase}/admin/issues/{id}/article?handler=Cover");
        return Content(ArticlePreview.Page(issue, html, wechat.Value.Article.Author, theme == "dark"), "text/html; charset=utf-8");
    }

    /// <summary>The article to paste into WeChat's editor: without the cover, which the editor takes separately.</summary>
    public async Task<IActionResult> OnGetHtmlAsync(int id, CancellationToken cancellationToken) =>
        await reader.FindAsync(id, includeUnpublished: true, cancellationToken) is { } issue
            ? Content(renderer.Html(issue, coverUrl: null), "text/html; charset=utf-8")
            : NotFound();

    public async Task<IActionResult> OnGetCoverAsync(int id, CancellationToken cancellationToken)
    {
        if (await reader.FindAsync(id, includeUnpublished: true, cancellationToken) is not { } issue)
            return NotFound();
        try
        {
            var cover = covers.For(issue);
            return File(cover.Content, cover.ContentType, $"issue-{id}-{cover.FileName}");
        }
        catch (CoverUnavailableException error)
        {
            return Content(error.Message, "text/plain; charset=utf-8");
        }
    }

    public async Task<IActionResult> OnPostDraftAsync(int id, CancellationToken cancellationToken) =>
        Report(id, await publisher.SaveDraftAsync(id, AdminLogin.Actor, cancellationToken));

    public async Task<IActionResult> OnPostPublishAsync(int id, CancellationToken cancellationToken)
    {
        // Publishing polls WeChat for up to minutes; the page shows what is known after a while and the step goes on.
        var publishing = publisher.PublishAsync(id, AdminLogin.Actor, lifetime.ApplicationStopping);
        var finished = await Task.WhenAny(publishing, Task.Delay(PublishWait, clock, cancellationToken));
        if (finished == publishing)
            return Report(id, await publishing);
        Notice($"Issue {id}'s article is on its way: WeChat is still publishing it. This page shows the result when it is known.");
        return Redirect($"/admin/issues/{id}/article");
    }

    /// <summary>The step's result as a notice on the article page; no issue is a 404, with no notice left for whatever page comes next.</summary>
    private IActionResult Report(int id, ArticleOutcome outcome)
    {
        switch (outcome)
        {
            case ArticleOutcome.IssueMissing:
                return NotFound();
            case ArticleOutcome.Drafted drafted:
                Notice(drafted.Updated ? $"Issue {id}'s draft on WeChat is updated." : $"Issue {id} is in WeChat's draft box now.");
                break;
            case ArticleOutcome.MassSent sent:
                Notice(sent.Earlier ? $"Issue {id}'s article was already mass-sent (msg_id {sent.MsgId}); nothing was sent again." : $"Issue {id}'s article is mass-sent to every follower (msg_id {sent.MsgId}).");
                break;
            case ArticleOutcome.Published { Unconfirmed: { } why } unconfirmed:
                Problem(why + ArticlePublisher.RequeuedNote(unconfirmed.Requeued));
                break;
            case ArticleOutcome.Published { Url: { } url } published:
                Notice($"Issue {id}'s article is published: {url}{ArticlePublisher.RequeuedNote(published.Requeued)}");
                break;
            case ArticleOutcome.Published:
                Notice($"Issue {id}'s article is submitted; WeChat is still publishing it.");
                break;
            case ArticleOutcome.Refused refused:
                Problem(refused.Reason);
                break;
            case ArticleOutcome.Busy busy:
                Problem(busy.Reason);
                break;
        }

        return Redirect($"/admin/issues/{id}/article");
    }
}
