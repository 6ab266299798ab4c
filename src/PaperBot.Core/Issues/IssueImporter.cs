using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using PaperBot.Core.Arxiv;
using PaperBot.Core.Data;
using PaperBot.Core.Digests;
using PaperBot.Core.Topics;

namespace PaperBot.Core.Issues;

public abstract record ImportOutcome
{
    /// <param name="Untagged">Numbers of the papers no topic fits: no topic filter lets them through until an editor tags them.</param>
    /// <param name="MetadataPending">arXiv did not answer; the background fill adds the metadata later.</param>
    public sealed record Imported(int IssueId, int PaperCount, IReadOnlyList<int> Untagged, bool MetadataPending = false) : ImportOutcome;

    /// <summary>The same digest was imported before; nothing was written.</summary>
    public sealed record AlreadyImported(int IssueId, int PaperCount) : ImportOutcome;

    /// <summary>The digest has problems; nothing was written.</summary>
    public sealed record Invalid(IReadOnlyList<DigestError> Errors) : ImportOutcome;
}

/// <summary>
/// Parses a digest, asks arXiv about its papers (one request), tags them with topics and stores it as a draft issue.
/// A paper an editor corrected before (the same arXiv id, else the same normalised title) keeps the corrected topics.
/// </summary>
public sealed class IssueImporter(
    PaperBotDbContext db, TopicCatalog catalog, TopicTagger tagger, TopicLearning learning, ArxivMetadataFill arxiv, ArxivBackfillSignal backfill, TimeProvider clock,
    ILogger<IssueImporter> logger)
{
    /// <param name="fetchMetadata">False leaves arXiv to the background fill (the first-start sample: no network on the start path).</param>
    public async Task<ImportOutcome> ImportAsync(string content, DigestFormat? format, string actor, CancellationToken cancellationToken, bool fetchMetadata = true)
    {
        var parsed = DigestParser.Parse(content, format);
        if (parsed.Digest is not { } digest)
            return new ImportOutcome.Invalid(parsed.Errors);

        // JSON gives slugs, a text digest's 话题 line names; either way the catalogue must know them.
        var unknownTopics = digest.Papers
            .SelectMany(p => (p.Topics ?? []).Where(t => catalog.Exact(t) is null).Select(t => new DigestError(0, $"paper {p.Number}: unknown topic '{t}'")))
            .ToList();
        if (unknownTopics.Count > 0)
            return new ImportOutcome.Invalid(unknownTopics);

        if (await AlreadyImportedAsync(digest.ContentHash, cancellationToken) is { } existing)
            return existing;

        var papers = digest.Papers.Select(p => new Paper
        {
            Number = p.Number,
            Title = p.Title,
            Summary = p.Summary,
            ArxivId = p.ArxivId,
            PaperUrl = p.Links.Paper,
            CodeUrl = p.Links.Code,
            ProjectUrl = p.Links.Project,
        }).ToList();
        var metadataPending = fetchMetadata && !await arxiv.FillAsync(papers, cancellationToken);

        await learning.EnsureCurrentAsync(db, cancellationToken);
        var corrections = await TopicLearning.CorrectionsAsync(db, cancellationToken);
        foreach (var (paper, source) in papers.Zip(digest.Papers))
        {
            IEnumerable<string> topics;
            if (corrections.FirstOrDefault(c => PaperIdentity.Same(c, paper)) is { } corrected)
            {
                topics = corrected.Topics.Select(t => t.Topic);
                paper.TopicsCorrectedAt = corrected.TopicsCorrectedAt;
                paper.TopicsCorrectedBy = corrected.TopicsCorrectedBy;
            }
            else
            {
                topics = source.Topics?.Select(t => catalog.Exact(t)!.Slug) ?? tagger.Tag(paper.Title, paper.Summary);
            }

            paper.Topics = [.. topics.Distinct().Select(t => new PaperTopic { Topic = t })];
        }

        var now = clock.GetUtcNow();
        var issue = new Issue
        {
            Title = digest.Title,
            Intro = digest.Intro,
            ContentHash = digest.ContentHash,
            Status = IssueStatus.Draft,
            ImportedAt = now,
            Papers = papers,
        };
        db.Issues.Add(issue);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // The same digest saved by another import since the check above (a double click, the CLI beside the admin
            // page, two instances' first start): the content hash is unique, so this one's insert was refused.
            db.ChangeTracker.Clear();
            if (await AlreadyImportedAsync(digest.ContentHash, cancellationToken) is { } meanwhile)
                return meanwhile;
            throw;
        }

        var untagged = papers.Where(p => p.Topics.Count == 0).Select(p => p.Number).ToList();
        db.Audit(now, actor, "import", $"issue {issue.Id}: {issue.Papers.Count} papers" + (untagged.Count > 0 ? $"; no topic for {string.Join(", ", untagged)}" : ""));
        await db.SaveChangesAsync(cancellationToken);
        // Only now: woken before the papers are saved, the fill would find nothing to do and sleep for an hour.
        if (papers.Any(p => p.ArxivId is not null && p.ArxivCheckedAt is null))
            backfill.Wake();

        logger.LogInformation("digests: imported issue {IssueId} with {PaperCount} papers, by {Actor}", issue.Id, issue.Papers.Count, actor);
        if (untagged.Count > 0)
            logger.LogWarning("topics: issue {IssueId} papers {Papers} fit no topic; an editor should tag them (admin page or /tag)", issue.Id, string.Join(", ", untagged));
        return new ImportOutcome.Imported(issue.Id, issue.Papers.Count, untagged, metadataPending);
    }

    private async Task<ImportOutcome.AlreadyImported?> AlreadyImportedAsync(string contentHash, CancellationToken cancellationToken) =>
        await db.Issues.AsNoTracking().Where(i => i.ContentHash == contentHash)
            .Select(i => new ImportOutcome.AlreadyImported(i.Id, i.Papers.Count))
            .FirstOrDefaultAsync(cancellationToken);
}
