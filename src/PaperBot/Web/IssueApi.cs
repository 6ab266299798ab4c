using PaperBot.Core.Issues;
using PaperBot.Core.Topics;

namespace PaperBot.Web;

/// <summary>The read-only JSON API: /api/topics, /api/issues, /api/issues/{id}, /api/issues/latest.</summary>
public static class IssueApi
{
    public sealed record TopicNamesDto(string Zh, string En);

    public sealed record TopicDto(string Slug, TopicNamesDto Names, TopicNamesDto? Descriptions);

    public sealed record IssueListItemDto(int Id, string Title, string Status, DateTimeOffset? PublishedAt, int PaperCount);

    public sealed record LinksDto(string? Paper, string? Code, string? Project);

    public sealed record PaperDto(
        int Number, string Title, string Summary, string? ArxivId, LinksDto Links, IReadOnlyList<string> Topics,
        IReadOnlyList<string> Authors, string? EnglishTitle, string? Abstract, string? PrimaryCategory, DateTimeOffset? Published);

    /// <param name="ArticleUrl">The issue's WeChat article once published; null before.</param>
    public sealed record IssueDto(int Id, string Title, string Status, DateTimeOffset? PublishedAt, string Intro, IReadOnlyList<PaperDto> Papers, string? ArticleUrl);

    public static IEndpointRouteBuilder MapIssueApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api");
        api.MapGet("/topics", (TopicCatalog catalog) =>
            TypedResults.Ok(catalog.All.Select(t => new TopicDto(
                t.Slug, new TopicNamesDto(t.Names.Zh, t.Names.En), t.Description is { } d ? new TopicNamesDto(d.Zh, d.En) : null))));

        api.MapGet("/issues", async (HttpContext http, IssueReader issues, CancellationToken cancellationToken) =>
        {
            var list = await issues.ListAsync(WebAdmin.IsAdmin(http), limit: 1000, cancellationToken);
            return TypedResults.Ok(list.Select(i => new IssueListItemDto(i.Id, i.Title, StatusName(i.Status), i.PublishedAt, i.PaperCount)));
        });

        api.MapGet("/issues/latest", async (IssueReader issues, CancellationToken cancellationToken) =>
            await issues.LatestPublishedAsync(cancellationToken) is { } issue
                ? Results.Ok(ToDto(issue))
                : JsonBody.Problem("no issue has been published yet", StatusCodes.Status404NotFound));

        api.MapGet("/issues/{id}", async (string id, HttpContext http, IssueReader issues, CancellationToken cancellationToken) =>
        {
            if (!int.TryParse(id, out var issueId))
                return JsonBody.Problem($"'{Shorten(id)}' is not an issue id; ids are numbers, e.g. /api/issues/1");
            return await issues.FindAsync(issueId, WebAdmin.IsAdmin(http), cancellationToken) is { } issue
                ? Results.Ok(ToDto(issue))
                : JsonBody.Problem($"there is no issue {issueId}", StatusCodes.Status404NotFound);
        });
        return app;
    }

    public static string StatusName(IssueStatus status) => status.ToString().ToLowerInvariant();

    public static IssueDto ToDto(Issue issue) => new(
        issue.Id,
        issue.Title,
        StatusName(issue.Status),
        issue.PublishedAt,
        issue.Intro,
        issue.Papers.Select(p => new PaperDto(
            p.Number, p.Title, p.Summary, p.ArxivId,
            new LinksDto(p.PaperUrl, p.CodeUrl, p.ProjectUrl),
            p.Topics.Select(t => t.Topic).ToList(),
            p.Authors, p.EnglishTitle, p.Abstract, p.PrimaryCategory, p.Published)).ToList(),
        issue.ArticleUrl);

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
