using Microsoft.EntityFrameworkCore;
using PaperBot.Core.Data;

namespace PaperBot.Core.Issues;

public sealed record IssueSummary(int Id, string Title, IssueStatus Status, DateTimeOffset ImportedAt, DateTimeOffset? PublishedAt, DateTimeOffset? ScheduledFor, int PaperCount);

/// <summary>What a paper's card shows of its issue, without the issue's other papers.</summary>
public sealed record IssueOutline(int Id, DateTimeOffset? PublishedAt, int PaperCount, int FirstNumber, int LastNumber)
{
    public static IssueOutline Of(Issue issue) => new(
        issue.Id, issue.PublishedAt, issue.Papers.Count,
        issue.Papers.Count == 0 ? 0 : issue.Papers.Min(p => p.Number), issue.Papers.Count == 0 ? 0 : issue.Papers.Max(p => p.Number));
}

/// <summary>Reads issues for readers: the newest published one, one by id, the archive.</summary>
public sealed class IssueReader(PaperBotDbContext db)
{
    public Task<Issue?> LatestPublishedAsync(CancellationToken cancellationToken) =>
        NewestPublished(WithPapers()).FirstOrDefaultAsync(cancellationToken);

    /// <summary>The id of the issue <see cref="LatestPublishedAsync"/> reads ("最新"); null before the first is published.</summary>
    public Task<int?> LatestPublishedIdAsync(CancellationToken cancellationToken) =>
        NewestPublished(db.Issues.AsNoTracking()).Select(i => (int?)i.Id).FirstOrDefaultAsync(cancellationToken);

    /// <summary>An issue by id; drafts and scheduled issues only when <paramref name="includeUnpublished"/>.</summary>
    public Task<Issue?> FindAsync(int id, bool includeUnpublished, CancellationToken cancellationToken) =>
        ById(WithPapers(), id, includeUnpublished).FirstOrDefaultAsync(cancellationToken);

    /// <summary>
    /// Paper <paramref name="number"/> (null when the issue has none) with its issue's outline, of issue
    /// <paramref name="issueId"/> or of the newest published one; null when there is no such issue. Reads the one paper,
    /// not the whole issue: readers ask for papers one at a time.
    /// </summary>
    public async Task<(IssueOutline Issue, Paper? Paper)?> PaperAsync(int? issueId, int number, bool includeUnpublished, CancellationToken cancellationToken)
    {
        var issues = db.Issues.AsNoTracking();
        var outline = await (issueId is { } id ? ById(issues, id, includeUnpublished) : NewestPublished(issues))
            .Select(i => new IssueOutline(i.Id, i.PublishedAt, i.Papers.Count(), i.Papers.Min(p => (int?)p.Number) ?? 0, i.Papers.Max(p => (int?)p.Number) ?? 0))
            .FirstOrDefaultAsync(cancellationToken);
        if (outline is null)
            return null;
        var paper = await db.Papers.AsNoTracking().Include(p => p.Topics)
            .FirstOrDefaultAsync(p => p.IssueId == outline.Id && p.Number == number, cancellationToken);
        return (outline, paper);
    }

    /// <summary>Newest first: published issues by publication date, then unpublished ones by import.</summary>
    public async Task<IReadOnlyList<IssueSummary>> ListAsync(bool includeUnpublished, int limit, CancellationToken cancellationToken)
    {
        var issues = await db.Issues.AsNoTracking()
            .Where(i => includeUnpublished || i.Status == IssueStatus.Published)
            .OrderBy(i => i.Status == IssueStatus.Published ? 1 : 0)
            .ThenByDescending(i => i.PublishedAt).ThenByDescending(i => i.Id)
            .Take(limit)
            .Select(i => new IssueSummary(i.Id, i.Title, i.Status, i.ImportedAt, i.PublishedAt, i.ScheduledFor, i.Papers.Count))
            .ToListAsync(cancellationToken);
        return issues;
    }

    private static IQueryable<Issue> NewestPublished(IQueryable<Issue> issues) =>
        issues.Where(i => i.Status == IssueStatus.Published).OrderByDescending(i => i.PublishedAt).ThenByDescending(i => i.Id);

    private static IQueryable<Issue> ById(IQueryable<Issue> issues, int id, bool includeUnpublished) =>
        issues.Where(i => i.Id == id && (includeUnpublished || i.Status == IssueStatus.Published));

    private IQueryable<Issue> WithPapers() =>
        db.Issues.AsNoTracking().AsSplitQuery()
            .Include(i => i.Papers.OrderBy(p => p.Number))
            .ThenInclude(p => p.Topics);
}
