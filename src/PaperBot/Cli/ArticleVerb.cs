using System.Globalization;
using PaperBot.Channels.WeChat.Articles;
using PaperBot.Core.Issues;

namespace PaperBot.Cli;

/// <summary>The issue's WeChat article: written to a file, saved as the account's draft, or published.</summary>
public static class ArticleVerb
{
    public static readonly Verb Definition = new(
        "article", "article ISSUE --html FILE | --draft | --publish",
        "the issue's WeChat article: write its HTML to FILE, save it as the account's draft, or publish it (a mass send on verified accounts)",
        RunAsync, "html")
    {
        Flags = ["draft", "publish"],
        MaxArguments = 1,
        Validate = context => Problem(context) is { } problem ? context.UsageError(problem) : null,
    };

    private static string? Problem(VerbContext context)
    {
        if (context.Arguments.Count != 1 || !int.TryParse(context.Arguments[0], NumberStyles.None, CultureInfo.InvariantCulture, out _))
            return "give one issue id (see: issues)";
        if (context.Options.Count != 1)
            return "give exactly one of --html FILE, --draft or --publish";
        if (context.Options.ContainsKey("html") && string.IsNullOrWhiteSpace(context.Option("html")))
            return "--html needs a file to write";
        if (context.Option("html") is { } file && Path.GetDirectoryName(Path.GetFullPath(file)) is { } folder && !Directory.Exists(folder))
            return $"there is no folder '{folder}' to write {file} into";
        return null;
    }

    private static async Task<int> RunAsync(VerbContext context)
    {
        var issueId = int.Parse(context.Arguments[0], CultureInfo.InvariantCulture);
        if (context.Option("html") is { } file)
        {
            if (await context.Get<IssueReader>().FindAsync(issueId, includeUnpublished: true, context.CancellationToken) is not { } issue)
                return context.Fail($"there is no issue {issueId} (see: issues)");
            var html = context.Get<ArticleRenderer>().Html(issue, coverUrl: null);
            await File.WriteAllTextAsync(file, Document(issue, html), context.CancellationToken);
            return context.Done($"wrote issue {issueId}'s article to {file} ({html.Length:N0} characters; WeChat takes fewer than 20,000)");
        }

        var publisher = context.Get<ArticlePublisher>();
        var outcome = context.Flag("draft")
            ? await publisher.SaveDraftAsync(issueId, "cli", context.CancellationToken)
            : await publisher.PublishAsync(issueId, "cli", context.CancellationToken);
        return outcome switch
        {
            ArticleOutcome.Drafted drafted => context.Done($"issue {issueId}'s article is {(drafted.Updated ? "updated in" : "saved to")} WeChat's draft box (media_id {drafted.MediaId})"),
            ArticleOutcome.MassSent { Earlier: true } sent => context.Done($"issue {issueId}'s article was already mass-sent (msg_id {sent.MsgId}); nothing was sent again"),
            ArticleOutcome.MassSent sent => context.Done($"issue {issueId}'s article is mass-sent to every follower (msg_id {sent.MsgId}); its address arrives with WeChat's report"),
            ArticleOutcome.Published { Unconfirmed: { } why } unconfirmed => context.Fail(why + ArticlePublisher.RequeuedNote(unconfirmed.Requeued)),
            ArticleOutcome.Published { Url: { } url } published => context.Done($"issue {issueId}'s article is published: {url}{ArticlePublisher.RequeuedNote(published.Requeued)}"),
            ArticleOutcome.Published => context.Done($"issue {issueId}'s article is submitted; WeChat is still publishing it (the running bot records the address when WeChat reports it)"),
            ArticleOutcome.Refused refused => context.Fail(refused.Reason),
            ArticleOutcome.Busy busy => context.Fail(busy.Reason),
            ArticleOutcome.IssueMissing => context.Fail($"there is no issue {issueId} (see: issues)"),
            _ => context.Fail("unexpected outcome"),
        };
    }

    /// <summary>A page around the article, so the file opens in a browser; importing it reads the article back.</summary>
    private static string Document(Issue issue, string article) => $"""
        <!DOCTYPE html>
        <html lang="zh-CN">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{ArticleHtml.Text(ArticleRenderer.Title(issue))}</title>
        </head>
        <body>
        {article}
        </body>
        </html>

        """;
}
