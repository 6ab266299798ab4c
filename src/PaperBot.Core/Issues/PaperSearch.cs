using System.Text;
using Microsoft.EntityFrameworkCore;
using PaperBot.Core.Data;
using PaperBot.Core.Topics;
using PaperBot.Xml;

namespace PaperBot.Core.Issues;

public sealed record PaperHit(int IssueId, int Number, string Title, string Summary, string? ArxivId);

public sealed record SearchResult(int Total, IReadOnlyList<PaperHit> Hits);

/// <summary>
/// Searches the papers of all published issues; every word must match the title, the summary, the arXiv id, a topic's
/// name, or what arXiv gave (the English title, an author), so a reader can look a paper up as it is cited.
/// </summary>
public sealed class PaperSearch(PaperBotDbContext db, TopicCatalog catalog)
{
    /// <summary>
    /// A word names a topic when it begins the topic's slug or English name or one of their words ("long-context" as the
    /// topic chips link it, "agent", "rag", "long"), or is part of its Chinese name ("上下文"); at least two characters,
    /// so "a", "&amp;" or "-" do not pull in every topic.
    /// </summary>
    private static bool Names(Topic topic, string term) =>
        term.Length >= 2
        && (topic.Names.Zh.Contains(term, StringComparison.Ordinal)
            || topic.Slug.StartsWith(term, StringComparison.OrdinalIgnoreCase)
            || topic.Names.En.StartsWith(term, StringComparison.OrdinalIgnoreCase)
            || Words(topic.Slug).Concat(Words(topic.Names.En)).Any(w => w.StartsWith(term, StringComparison.OrdinalIgnoreCase)));

    /// <summary>Quotes around words, as search boxes teach: "long context", “长上下文”, 「长上下文」. Each word is still looked for alone.</summary>
    private static readonly char[] Quotes = ['"', '\'', '“', '”', '‘', '’', '「', '」', '『', '』'];

    private static string[] Words(string text) => text.Split([' ', '-', '&', '/', ','], StringSplitOptions.RemoveEmptyEntries);

    public async Task<SearchResult> SearchAsync(string words, int limit, CancellationToken cancellationToken)
    {
        var query = db.Papers.AsNoTracking().Where(p => p.Issue!.Status == IssueStatus.Published);
        var terms = XmlChars.WithoutIllegal(words).Normalize(NormalizationForm.FormKC).ToLowerInvariant()
            .Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)
            .Select(t => t.Trim(Quotes)).Where(t => t.Length > 0).ToArray();
        if (terms.Length == 0)
            return new SearchResult(0, []);
        UnicodeLower.UseFor(db);
        foreach (var term in terms)
        {
            var topics = catalog.All.Where(t => Names(t, term)).Select(t => t.Slug).ToList();
#pragma warning disable CA1304, CA1311, CA1862 // translated to SQL lower(); the term is already lower-cased
            query = query.Where(p => p.Title.ToLower().Contains(term) || p.Summary.ToLower().Contains(term)
                || p.ArxivId == term || p.Topics.Any(t => topics.Contains(t.Topic))
                || p.EnglishTitle!.ToLower().Contains(term) || p.Authors.Any(a => a.ToLower().Contains(term)));
#pragma warning restore CA1304, CA1311, CA1862
        }

        var total = await query.CountAsync(cancellationToken);
        var hits = total == 0 ? [] : await query
            .OrderByDescending(p => p.Issue!.PublishedAt).ThenBy(p => p.IssueId).ThenBy(p => p.Number)
            .Take(limit)
            .Select(p => new PaperHit(p.IssueId, p.Number, p.Title, p.Summary, p.ArxivId))
            .ToListAsync(cancellationToken);
        return new SearchResult(total, hits);
    }
}
