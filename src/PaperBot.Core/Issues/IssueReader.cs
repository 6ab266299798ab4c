using Microsoft.EntityFrameworkCore;
using PaperBot.Core.Data;

namespace PaperBot.Core.Issues;

public sealed record IssueSummary(int Id, string Title, IssueStatus Status, DateTimeOffset ImportedAt, DateTimeOffset? PublishedAt, DateTimeOffset? ScheduledFor, int PaperCount);

/// <summary>Reads issues for readers: the newest published one, one by id, the archive.</summary>
public sealed class IssueReader(PaperBotDbContext db)
{
    public Task<Issue?> LatestPublishedAsync(CancellationToken cancellationToken) =>
        WithPapers()
            .Where(i => i.Status == IssueStatus.Published)
            .OrderByDescending(i => i.PublishedAt).ThenByDescending(i => i.Id)
            .FirstOrDefaultAsync(cancellationToken);

    /// <summary>An issue by id; drafts and scheduled issues only when <paramref name="includeUnpublished"/>.</summary>
    public Task<Issue?> FindAsync(int id, bool includeUnpublished, CancellationToken cancellationToken) =>
        WithPapers()
            .Where(i => i.Id == id && (includeUnpublished || i.Status == IssueStatus.Published))
            .FirstOrDefaultAsync(cancellationToken);

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

    private IQueryable<Issue> WithPapers() =>
        db.Issues.AsNoTracking().AsSplitQuery()
            .Include(i => i.Papers.OrderBy(p => p.Number))
            .ThenInclude(p => p.Topics);
}
