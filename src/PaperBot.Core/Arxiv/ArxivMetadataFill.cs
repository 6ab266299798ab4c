using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using PaperBot.Core.Data;
using PaperBot.Core.Digests;
using PaperBot.Core.Issues;

namespace PaperBot.Core.Arxiv;

/// <summary>Puts arXiv's metadata on papers: from papers that already have it, else with one batched request.</summary>
public sealed class ArxivMetadataFill(PaperBotDbContext db, ArxivClient arxiv, TimeProvider clock, ILogger<ArxivMetadataFill> logger)
{
    /// <summary>arXiv's largest page; the background fill asks for at most this many ids at once.</summary>
    public const int MaxIdsPerRequest = 100;

    /// <summary>
    /// Fills <paramref name="papers"/> (not yet saved, or tracked) and reports whether arXiv answered. When it did
    /// not, the papers stay without metadata for the background fill, which the importer wakes once they are saved.
    /// </summary>
    public async Task<bool> FillAsync(IReadOnlyList<Paper> papers, CancellationToken cancellationToken)
    {
        var wanted = papers.Where(p => p.ArxivId is not null && p.ArxivCheckedAt is null).ToList();
        if (wanted.Count == 0)
            return true;

        var ids = wanted.Select(p => p.ArxivId!).Distinct().ToList();
        var known = await db.Papers.AsNoTracking()
            .Where(p => p.ArxivId != null && ids.Contains(p.ArxivId) && p.EnglishTitle != null)
            .ToListAsync(cancellationToken);
        var now = clock.GetUtcNow();
        foreach (var paper in wanted)
        {
            if (known.FirstOrDefault(k => k.ArxivId == paper.ArxivId) is { } copy)
                Apply(paper, new ArxivMetadata(copy.ArxivId!, copy.EnglishTitle!, copy.Authors, copy.Abstract ?? "", copy.PrimaryCategory, copy.Published), now);
        }

        var missing = wanted.Where(p => p.ArxivCheckedAt is null).ToList();
        if (missing.Count == 0 || !arxiv.Enabled)
            return true;
        try
        {
            // Asked and matched in arXiv's own form: it answers math.GT/0309136 as math/0309136v1.
            var entries = (await arxiv.FetchAsync([.. missing.Select(p => ArxivIds.Canonical(p.ArxivId!)).Distinct()], cancellationToken))
                .DistinctBy(e => ArxivIds.Canonical(e.ArxivId))
                .ToDictionary(e => ArxivIds.Canonical(e.ArxivId));
            foreach (var paper in missing)
            {
                if (!entries.TryGetValue(ArxivIds.Canonical(paper.ArxivId!), out var entry))
                    paper.ArxivCheckedAt = now;
                else
                    Apply(paper, entry, now);
            }

            logger.LogInformation("arxiv: metadata for {Found} of {Asked} papers", missing.Count(p => p.EnglishTitle is not null), missing.Count);
            return true;
        }
        catch (ArxivUnavailableException e)
        {
            logger.LogWarning("arxiv: unable to fetch metadata for {Count} papers ({Reason}); the background fill retries later", missing.Count, e.Message);
            return false;
        }
    }

    /// <summary>The background fill's step: one request for papers still without an answer; null when there were none.</summary>
    public async Task<bool?> FillPendingAsync(CancellationToken cancellationToken)
    {
        var ids = await db.Papers.Where(p => p.ArxivId != null && p.ArxivCheckedAt == null)
            .Select(p => p.ArxivId!).Distinct().OrderBy(id => id).Take(MaxIdsPerRequest).ToListAsync(cancellationToken);
        if (ids.Count == 0)
            return null;
        var papers = await db.Papers.Where(p => p.ArxivId != null && ids.Contains(p.ArxivId) && p.ArxivCheckedAt == null).ToListAsync(cancellationToken);
        var answered = await FillAsync(papers, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return answered;
    }

    private static void Apply(Paper paper, ArxivMetadata entry, DateTimeOffset now)
    {
        paper.EnglishTitle = entry.Title;
        paper.Authors = [.. entry.Authors];
        paper.Abstract = entry.Abstract;
        paper.PrimaryCategory = entry.PrimaryCategory;
        paper.Published = entry.Published;
        paper.ArxivCheckedAt = now;
    }
}
