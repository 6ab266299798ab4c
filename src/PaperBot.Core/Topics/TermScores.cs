using System.Text;

namespace PaperBot.Core.Topics;

/// <summary>
/// The evidence the catalogue's keywords give for each topic, as a number: a keyword's weight for each
/// different keyword in the title, times <see cref="TitleWeight"/> (a title names what the paper is about),
/// plus its weight for each different keyword in the summary, plus <see cref="RepeatBonus"/> of it for each of
/// up to two further mentions (a summary that keeps coming back to it), minus the same for excluded keywords.
/// Where keywords overlap ("数学推理" and "数学") only the longer match counts.
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
        return [.. topics.Select(t => Evidence(t.For, titleText, summaryText) - Evidence(t.Against, titleText, summaryText))];
    }

    private static List<(KeywordPattern, double)> Compile(IReadOnlyList<TopicTerm> terms) =>
        [.. terms.Select(t => (new KeywordPattern(t.Text), t.Weight))];

    private static double Evidence(List<(KeywordPattern Pattern, double Weight)> terms, string title, string summary)
    {
        if (terms.Count == 0)
            return 0;
        var score = Mentions(terms, title).Select(m => m.Keyword).Distinct().Sum(k => terms[k].Weight * TitleWeight);
        foreach (var keyword in Mentions(terms, summary).GroupBy(m => m.Keyword))
            score += terms[keyword.Key].Weight * (1 + RepeatBonus * Math.Min(keyword.Count() - 1, CountedRepeats));
        return score;
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
