using PaperBot.Core.Issues;

namespace PaperBot.Core.Topics;

/// <summary>A subscriber's filter: an empty filter lets every paper through, otherwise a paper needs one chosen topic.</summary>
public static class TopicFilter
{
    public static IEnumerable<Paper> Matching(IEnumerable<Paper> papers, IReadOnlySet<string> chosen) =>
        chosen.Count == 0 ? papers : papers.Where(p => p.Topics.Any(t => chosen.Contains(t.Topic)));
}
