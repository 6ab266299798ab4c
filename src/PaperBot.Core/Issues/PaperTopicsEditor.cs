using Microsoft.EntityFrameworkCore;
using PaperBot.Core.Data;
using PaperBot.Core.Topics;

namespace PaperBot.Core.Issues;

public abstract record TopicEditOutcome
{
    public sealed record Changed(int IssueId, int Number, IReadOnlyList<string> Topics, IReadOnlyList<string> Before) : TopicEditOutcome;

    /// <summary>The paper already had exactly these topics: nothing was stored, marked or learnt.</summary>
    public sealed record Unchanged(int IssueId, int Number, IReadOnlyList<string> Topics) : TopicEditOutcome;

    public sealed record IssueMissing(int? IssueId) : TopicEditOutcome;

    public sealed record PaperMissing(int IssueId, int Number, int PaperCount) : TopicEditOutcome;

    public sealed record UnknownTopics(IReadOnlyList<string> Topics) : TopicEditOutcome;
}

/// <summary>
/// Editors' corrections of the topics the tagger gave a paper (admin page, <c>/tag</c>, <c>topics set</c>). A
/// corrected paper is marked: re-imports and re-tagging keep its topics, and the tagger learns from it.
/// </summary>
public sealed class PaperTopicsEditor(PaperBotDbContext db, TopicCatalog catalog, TopicTagger tagger, TopicLearning learning, TimeProvider clock)
{
    /// <summary>Replaces the paper's topics with <paramref name="topics"/>.</summary>
    public Task<TopicEditOutcome> SetAsync(int issueId, int number, IReadOnlyList<string> topics, string actor, CancellationToken cancellationToken) =>
        EditAsync(issueId, number, topics, [], replace: true, actor, cancellationToken);

    /// <summary>Adds and removes topics (<c>/tag 4 +agents -code</c>); without an issue, the newest one (drafts included).</summary>
    public Task<TopicEditOutcome> ChangeAsync(int? issueId, int number, IReadOnlyList<string> add, IReadOnlyList<string> remove, string actor, CancellationToken cancellationToken) =>
        EditAsync(issueId, number, add, remove, replace: false, actor, cancellationToken);

    /// <summary>Tags the issue's papers again with the current tagger, except those an editor corrected; returns how many changed.</summary>
    public async Task<int?> RetagAsync(int issueId, string actor, CancellationToken cancellationToken)
    {
        var papers = await db.Papers.Include(p => p.Topics).Where(p => p.IssueId == issueId).ToListAsync(cancellationToken);
        if (papers.Count == 0)
            return await db.Issues.AnyAsync(i => i.Id == issueId, cancellationToken) ? 0 : null;
        await learning.EnsureCurrentAsync(db, cancellationToken);
        var changed = 0;
        foreach (var paper in papers.Where(p => p.TopicsCorrectedAt is null))
        {
            var slugs = tagger.Tag(paper.Title, paper.Summary);
            if (slugs.Order(StringComparer.Ordinal).SequenceEqual(paper.Topics.Select(t => t.Topic).Order(StringComparer.Ordinal)))
                continue;
            paper.Topics.RemoveAll(t => !slugs.Contains(t.Topic));
            paper.Topics.AddRange(slugs.Where(s => paper.Topics.All(t => t.Topic != s)).Select(s => new PaperTopic { Topic = s }));
            changed++;
        }

        db.Audit(clock.GetUtcNow(), actor, "retag", $"issue {issueId}: {changed} papers changed, {papers.Count(p => p.TopicsCorrectedAt is not null)} corrected kept");
        await db.SaveChangesAsync(cancellationToken);
        return changed;
    }

    private async Task<TopicEditOutcome> EditAsync(int? issueId, int number, IReadOnlyList<string> add, IReadOnlyList<string> remove, bool replace, string actor, CancellationToken cancellationToken)
    {
        var unknown = add.Concat(remove).Where(t => catalog.Find(t) is null).ToList();
        if (unknown.Count > 0)
            return new TopicEditOutcome.UnknownTopics(unknown);

        var id = issueId ?? await db.Issues.OrderByDescending(i => i.Id).Select(i => (int?)i.Id).FirstOrDefaultAsync(cancellationToken);
        if (id is not { } resolvedIssue || !await db.Issues.AnyAsync(i => i.Id == resolvedIssue, cancellationToken))
            return new TopicEditOutcome.IssueMissing(issueId);
        var paper = await db.Papers.Include(p => p.Topics).FirstOrDefaultAsync(p => p.IssueId == resolvedIssue && p.Number == number, cancellationToken);
        if (paper is null)
            return new TopicEditOutcome.PaperMissing(resolvedIssue, number, await db.Papers.CountAsync(p => p.IssueId == resolvedIssue, cancellationToken));

        var before = Ordered(paper.Topics.Select(t => t.Topic));
        var adding = add.Select(t => catalog.Find(t)!.Slug).ToHashSet();
        var removing = remove.Select(t => catalog.Find(t)!.Slug).ToHashSet();
        var after = Ordered((replace ? adding : before.Union(adding).Except(removing)).ToList());
        // Adding a topic the paper has, or removing one it lacks, corrects nothing: marking it would pin the
        // tagger's guess against re-tagging and teach the tagger from it.
        if (after.SequenceEqual(before))
            return new TopicEditOutcome.Unchanged(resolvedIssue, number, after);
        paper.Topics.RemoveAll(t => !after.Contains(t.Topic));
        paper.Topics.AddRange(after.Where(s => paper.Topics.All(t => t.Topic != s)).Select(s => new PaperTopic { Topic = s }));
        var now = clock.GetUtcNow();
        paper.TopicsCorrectedAt = now;
        paper.TopicsCorrectedBy = actor;
        db.Audit(now, actor, "topics", $"issue {resolvedIssue} paper {number}: {Show(after)} (was {Show(before)})");
        await db.SaveChangesAsync(cancellationToken);
        await learning.EnsureCurrentAsync(db, cancellationToken);
        return new TopicEditOutcome.Changed(resolvedIssue, number, after, before);
    }

    private List<string> Ordered(IEnumerable<string> slugs)
    {
        var set = slugs.ToHashSet();
        return [.. catalog.All.Select(t => t.Slug).Where(set.Contains)];
    }

    private static string Show(List<string> slugs) => slugs.Count == 0 ? "none" : string.Join(",", slugs);
}
