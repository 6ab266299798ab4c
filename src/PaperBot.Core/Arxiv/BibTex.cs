using System.Globalization;
using System.Text;
using PaperBot.Core.Issues;

namespace PaperBot.Core.Arxiv;

/// <summary>
/// A paper's BibTeX entry in the shape of arXiv's own "Export BibTeX citation": <c>@misc</c> keyed by the first
/// author's last name, the year and the title's first significant words, with title, author, year, eprint,
/// archivePrefix, primaryClass and url.
/// </summary>
public static class BibTex
{
    private static readonly HashSet<string> Stopwords = new(StringComparer.OrdinalIgnoreCase)
    {
        "a", "an", "the", "of", "for", "and", "or", "in", "on", "at", "to", "by", "with", "from", "is", "are", "all", "you", "your", "we", "via", "as", "its", "be", "not", "what",
    };

    /// <summary>Null when the paper has no arXiv id or its metadata has not arrived yet.</summary>
    public static string? Of(Paper paper)
    {
        if (paper.ArxivId is not { } id || paper.EnglishTitle is not { } title || paper.Authors.Count == 0)
            return null;
        var year = paper.Published?.Year.ToString(CultureInfo.InvariantCulture) ?? "";
        var entry = new StringBuilder();
        entry.Append(CultureInfo.InvariantCulture, $"@misc{{{Key(paper.Authors[0], year, title)},\n");
        entry.Append(CultureInfo.InvariantCulture, $"      title={{{title}}}, \n");
        entry.Append(CultureInfo.InvariantCulture, $"      author={{{string.Join(" and ", paper.Authors)}}},\n");
        entry.Append(CultureInfo.InvariantCulture, $"      year={{{year}}},\n");
        entry.Append(CultureInfo.InvariantCulture, $"      eprint={{{id}}},\n");
        entry.Append("      archivePrefix={arXiv},\n");
        if (paper.PrimaryCategory is { } category)
            entry.Append(CultureInfo.InvariantCulture, $"      primaryClass={{{category}}},\n");
        entry.Append(CultureInfo.InvariantCulture, $"      url={{https://arxiv.org/abs/{id}}}, \n");
        entry.Append('}');
        return entry.ToString();
    }

    private static string Key(string firstAuthor, string year, string title)
    {
        var lastName = Letters(firstAuthor.Split(' ', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? "");
        var words = title.Split([' ', '-', ':', ',', '.', ';', '?', '!', '(', ')', '/'], StringSplitOptions.RemoveEmptyEntries)
            .Select(Letters)
            .Where(w => w.Length > 0 && !Stopwords.Contains(w))
            .Take(4);
        return lastName + year + string.Concat(words);
    }

    private static string Letters(string word) =>
        new([.. word.Normalize(NormalizationForm.FormD).Where(char.IsAsciiLetterOrDigit).Select(char.ToLowerInvariant)]);
}
