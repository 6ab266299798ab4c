using System.Text;

namespace PaperBot.Core.Topics;

/// <summary>
/// Tags a paper with the catalogue's topics by keyword. A topic needs enough evidence that it
/// does not end up on every paper:
/// <list type="bullet">
/// <item>one of its keywords in the title (a title names what the paper is about), or</item>
/// <item>two different keywords in the summary, or</item>
/// <item>one keyword three or more times in the summary (the summary keeps coming back to it).</item>
/// </list>
/// A single passing mention in the summary ("使用检索") is not enough. Where keywords overlap
/// ("数学推理" and "数学") only the longer match counts.
/// </summary>
public sealed class TopicTagger(TopicCatalog catalog)
{
    private const int RepeatedMentions = 3;
    private const int DistinctSummaryKeywords = 2;

    private readonly List<(Topic Topic, List<KeywordPattern> Keywords)> topics =
        [.. (catalog ?? throw new ArgumentNullException(nameof(catalog))).All
            .Select(t => (t, t.Keywords.Select(k => new KeywordPattern(k)).ToList()))];

    /// <summary>The slugs of the topics the paper is about, in catalogue order.</summary>
    public IReadOnlyList<string> Tag(string title, string summary)
    {
        var titleText = (title ?? string.Empty).Normalize(NormalizationForm.FormKC);
        var summaryText = (summary ?? string.Empty).Normalize(NormalizationForm.FormKC);
        return [.. topics.Where(t => HasEvidence(t.Keywords, titleText, summaryText)).Select(t => t.Topic.Slug)];
    }

    private static bool HasEvidence(List<KeywordPattern> keywords, string title, string summary)
    {
        if (Mentions(keywords, title).Count > 0)
        {
            return true;
        }

        var mentions = Mentions(keywords, summary);
        return mentions.Select(m => m.Keyword).Distinct().Count() >= DistinctSummaryKeywords
            || mentions.GroupBy(m => m.Keyword).Any(g => g.Count() >= RepeatedMentions);
    }

    /// <summary>Each keyword occurrence, except those inside a longer occurrence of another keyword.</summary>
    private static List<(int Keyword, int Start, int End)> Mentions(List<KeywordPattern> keywords, string text)
    {
        var all = keywords
            .SelectMany((pattern, index) => pattern.Matches(text).Select(span => (Keyword: index, span.Start, span.End)))
            .OrderByDescending(m => m.End - m.Start)
            .ToList();
        var kept = new List<(int Keyword, int Start, int End)>();
        foreach (var mention in all)
        {
            if (!kept.Any(k => k.Start <= mention.Start && mention.End <= k.End))
            {
                kept.Add(mention);
            }
        }

        return kept;
    }
}
