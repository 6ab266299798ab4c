using System.Text;

namespace PaperBot.Core.Topics;

/// <summary>
/// The evidence the catalogue's keywords give for each topic, as a number: a keyword's weight for each
/// different keyword in the title, times <see cref="TitleWeight"/> (a title names what the paper is about),
/// plus its weight for each different keyword in the summary, plus <see cref="RepeatBonus"/> of it for each of
/// up to two further mentions (a summary that keeps coming back to it), minus the same for excluded keywords.
/// Where keywords overlap ("数学推理" and "数学") only the longer match counts. An excluded keyword that contains a
/// keyword's mention marks another sense of the word ("香港中文大学" is not about Chinese, "领域专家" not about
/// mixture of experts): that mention does not count, and neither does the exclusion.
/// With every weight 1, <see cref="Evident"/> (2) is: one keyword in the title, two different ones in the
/// summary, or one mentioned three times.
/// </summary>
public sealed class TermScores
{
    public const double Evident = 2;
    public const double TitleWeight = 2;
    public const double RepeatBonus = 0.5;
    private const int CountedRepeats = 2;

    private readonly List<(List<(KeywordPattern Pattern, double Weight)> For, List<(KeywordPattern Pattern, double Weight)> Against)> topics;

    public TermScores(TopicCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        topics = [.. catalog.All.Select(t => (Compile(t.Terms), Compile(t.Exclusions)))];
    }

    /// <summary>One score per catalogue topic, in catalogue order.</summary>
    public double[] Score(string title, string summary)
    {
        var titleText = (title ?? string.Empty).Normalize(NormalizationForm.FormKC);
        var summaryText = (summary ?? string.Empty).Normalize(NormalizationForm.FormKC);
        return [.. topics.Select(t => Evidence(t.For, t.Against, titleText) * TitleWeight + Evidence(t.For, t.Against, summaryText, RepeatBonus))];
    }

    /// <summary>For each catalogue topic, in catalogue order, the keywords found (title first, then summary, each once); excluded ones start with "-".</summary>
    public IReadOnlyList<IReadOnlyList<string>> Explain(string title, string summary)
    {
        var titleText = (title ?? string.Empty).Normalize(NormalizationForm.FormKC);
        var summaryText = (summary ?? string.Empty).Normalize(NormalizationForm.FormKC);
        return [.. topics.Select(t =>
        {
            var inTitle = Senses(t.For, t.Against, titleText);
            var inSummary = Senses(t.For, t.Against, summaryText);
            return (IReadOnlyList<string>)[
                .. Found(t.For, inTitle.For, inSummary.For),
                .. Found(t.Against, inTitle.Against, inSummary.Against).Select(k => "-" + k)];
        })];
    }

    private static IEnumerable<string> Found(List<(KeywordPattern Pattern, double Weight)> terms, List<(int Keyword, int Start, int End)> title, List<(int Keyword, int Start, int End)> summary) =>
        title.Select(m => $"T:{terms[m.Keyword].Pattern}")
            .Concat(summary.GroupBy(m => m.Keyword).Select(g => $"{terms[g.Key].Pattern}{(g.Count() > 1 ? "×" + g.Count() : "")}"))
            .Distinct();

    private static List<(KeywordPattern, double)> Compile(IReadOnlyList<TopicTerm> terms) =>
        [.. terms.Select(t => (new KeywordPattern(t.Text), t.Weight))];

    /// <summary>
    /// The weighted keywords found in one text, each different keyword once plus <paramref name="repeatBonus"/> of
    /// its weight for each of up to <see cref="CountedRepeats"/> further mentions; exclusions likewise count against.
    /// </summary>
    private static double Evidence(List<(KeywordPattern Pattern, double Weight)> terms, List<(KeywordPattern Pattern, double Weight)> exclusions, string text, double repeatBonus = 0)
    {
        var (found, against) = Senses(terms, exclusions, text);
        return Weigh(terms, found, repeatBonus) - Weigh(exclusions, against, repeatBonus);
    }

    private static double Weigh(List<(KeywordPattern Pattern, double Weight)> terms, List<(int Keyword, int Start, int End)> mentions, double repeatBonus) =>
        mentions.GroupBy(m => m.Keyword).Sum(k => terms[k.Key].Weight * (1 + (repeatBonus * Math.Min(k.Count() - 1, CountedRepeats))));

    /// <summary>The keywords' and the exclusions' mentions, without those where an exclusion names another sense of a keyword.</summary>
    private static (List<(int Keyword, int Start, int End)> For, List<(int Keyword, int Start, int End)> Against) Senses(
        List<(KeywordPattern Pattern, double Weight)> terms, List<(KeywordPattern Pattern, double Weight)> exclusions, string text)
    {
        var found = Mentions(terms, text);
        var against = Mentions(exclusions, text);
        if (against.Count == 0 || found.Count == 0)
            return (found, against);
        static bool Inside((int, int Start, int End) inner, (int, int Start, int End) outer) => outer.Start <= inner.Start && inner.End <= outer.End;
        return (
            [.. found.Where(f => !against.Any(a => Inside(f, a)))],
            [.. against.Where(a => !found.Any(f => Inside(f, a)))]);
    }

    /// <summary>Each keyword occurrence, except those inside a longer occurrence of another keyword.</summary>
    private static List<(int Keyword, int Start, int End)> Mentions(List<(KeywordPattern Pattern, double Weight)> terms, string text)
    {
        var all = terms
            .SelectMany((term, index) => term.Pattern.Matches(text).Select(span => (Keyword: index, span.Start, span.End)))
            .OrderByDescending(m => m.End - m.Start)
            .ToList();
        var kept = new List<(int Keyword, int Start, int End)>();
        foreach (var mention in all)
        {
            if (!kept.Any(k => k.Start <= mention.Start && mention.End <= k.End))
                kept.Add(mention);
        }

        return kept;
    }
}
