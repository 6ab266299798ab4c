using Microsoft.EntityFrameworkCore;
using PaperBot.Core.Data;
using PaperBot.Core.Topics;

namespace PaperBot.Core.Issues;

public abstract record TopicEditOutcome
{
    public sealed record Changed(IReadOnlyList<string> Topics) : TopicEditOutcome;

    public sealed record PaperMissing(int IssueId, int Number) : TopicEditOutcome;

    public sealed record UnknownTopics(IReadOnlyList<string> Topics) : TopicEditOutcome;
}

/// <summary>An admin's correction of the topics the tagger gave a paper.</summary>
public sealed class PaperTopicsEditor(PaperBotDbContext db, TopicCatalog catalog, TimeProvider clock)
{
    public async Task<TopicEditOutcome> SetAsync(int issueId, int number, IReadOnlyList<string> topics, string actor, CancellationToken cancellationToken)
    {
        var resolved = topics.Select(t => (Given: t, Topic: catalog.Find(t))).ToList();
        var unknown = resolved.Where(r => r.Topic is null).Select(r => r.Given).ToList();
        if (unknown.Count > 0)
            return new TopicEditOutcome.UnknownTopics(unknown);

        var paper = await db.Papers.Include(p => p.Topics).FirstOrDefaultAsync(p => p.IssueId == issueId && p.Number == number, cancellationToken);
        if (paper is null)
            return new TopicEditOutcome.PaperMissing(issueId, number);

        var slugs = resolved.Select(r => r.Topic!.Slug).Distinct().ToList();
        paper.Topics.RemoveAll(t => !slugs.Contains(t.Topic));
        paper.Topics.AddRange(slugs.Where(s => paper.Topics.All(t => t.Topic != s)).Select(s => new PaperTopic { Topic = s }));
        db.Audit(clock.GetUtcNow(), actor, "topics", $"issue {issueId} paper {number}: {string.Join(",", slugs)}");
        await db.SaveChangesAsync(cancellationToken);
        return new TopicEditOutcome.Changed(slugs);
    }
}
