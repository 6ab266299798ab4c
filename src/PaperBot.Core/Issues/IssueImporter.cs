using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using PaperBot.Core.Data;
using PaperBot.Core.Digests;
using PaperBot.Core.Topics;

namespace PaperBot.Core.Issues;

public abstract record ImportOutcome
{
    public sealed record Imported(int IssueId, int PaperCount) : ImportOutcome;

    /// <summary>The same digest was imported before; nothing was written.</summary>
    public sealed record AlreadyImported(int IssueId, int PaperCount) : ImportOutcome;

    /// <summary>The digest has problems; nothing was written.</summary>
    public sealed record Invalid(IReadOnlyList<DigestError> Errors) : ImportOutcome;
}

/// <summary>Parses a digest, tags its papers with topics and stores it as a draft issue.</summary>
public sealed class IssueImporter(PaperBotDbContext db, TopicCatalog catalog, TopicTagger tagger, TimeProvider clock, ILogger<IssueImporter> logger)
{
    public async Task<ImportOutcome> ImportAsync(string content, DigestFormat? format, string actor, CancellationToken cancellationToken)
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

        var existing = await db.Issues.Where(i => i.ContentHash == digest.ContentHash)
            .Select(i => new { i.Id, Papers = i.Papers.Count })
            .FirstOrDefaultAsync(cancellationToken);
        if (existing is not null)
            return new ImportOutcome.AlreadyImported(existing.Id, existing.Papers);

        var now = clock.GetUtcNow();
        var issue = new Issue
        {
            Title = digest.Title,
            Intro = digest.Intro,
            ContentHash = digest.ContentHash,
            Status = IssueStatus.Draft,
            ImportedAt = now,
            Papers = digest.Papers.Select(p => new Paper
            {
                Number = p.Number,
                Title = p.Title,
                Summary = p.Summary,
                ArxivId = p.ArxivId,
                PaperUrl = p.Links.Paper,
                CodeUrl = p.Links.Code,
                ProjectUrl = p.Links.Project,
                Topics = (p.Topics?.Select(t => catalog.Exact(t)!.Slug) ?? tagger.Tag(p.Title, p.Summary)).Distinct().Select(t => new PaperTopic { Topic = t }).ToList(),
            }).ToList(),
        };
        db.Issues.Add(issue);
        await db.SaveChangesAsync(cancellationToken);
        db.Audit(now, actor, "import", $"issue {issue.Id}: {issue.Papers.Count} papers");
        await db.SaveChangesAsync(cancellationToken);

        logger.LogInformation("digests: imported issue {IssueId} with {PaperCount} papers, by {Actor}", issue.Id, issue.Papers.Count, actor);
        return new ImportOutcome.Imported(issue.Id, issue.Papers.Count);
    }
}
