using System.Text;
using System.Text.RegularExpressions;
using PaperBot.Core.Digests;

namespace PaperBot.Core.Topics;

/// <summary>
/// One keyword, compiled for matching in NFKC-normalized text, ignoring case. Chinese matches
/// as a substring. An end made of Latin letters or digits must sit on a word boundary: a
/// non-letter, a Chinese character, a lower-to-upper case change ("JetMoE" contains "MoE") or a
/// letter-digit change ("Llama2" contains "Llama"); so "MoE" does not match inside "Moel".
/// A final letter may take a plural "s"/"es" ("RNNs", "agents"). Spaces and hyphens inside a
/// keyword match any run of spaces and hyphens, or none ("long context" = "long-context").
/// </summary>
internal sealed class KeywordPattern
{
    private readonly Regex regex;
    private readonly bool boundedStart;
    private readonly bool boundedEnd;

    public KeywordPattern(string keyword)
    {
        Keyword = keyword;
        var normalized = keyword.Normalize(NormalizationForm.FormKC).Trim();
        var parts = normalized.Split([' ', '\t', '-', '\u00A0', '\u3000'], StringSplitOptions.RemoveEmptyEntries);
        var pattern = string.Join(@"[\s\-]*", parts.Select(Regex.Escape));
        boundedStart = Cjk.IsWordCharacter(normalized[0]);
        boundedEnd = Cjk.IsWordCharacter(normalized[^1]);
        if (boundedEnd && char.IsLetter(normalized[^1]))
        {
            pattern += "(?:e?s)?";
        }

        regex = new Regex(pattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
    }

    public string Keyword { get; }

    public override string ToString() => Keyword;

    /// <summary>The spans (start, exclusive end) where the keyword occurs in <paramref name="text"/>.</summary>
    public IEnumerable<(int Start, int End)> Matches(string text)
    {
        var match = regex.Match(text);
        while (match.Success)
        {
            var end = match.Index + match.Length;
            if ((!boundedStart || StartsWord(text, match.Index)) && (!boundedEnd || EndsWord(text, end)))
            {
                yield return (match.Index, end);
                match = regex.Match(text, end);
            }
            else
            {
                match = regex.Match(text, match.Index + 1);
            }
        }
    }

    private static bool StartsWord(string text, int start) =>
        start == 0 || IsBoundary(text[start - 1], text[start]);

    private static bool EndsWord(string text, int end) =>
        end == text.Length || IsBoundary(text[end - 1], text[end]);

    private static bool IsBoundary(char before, char after) =>
        !Cjk.IsWordCharacter(before)
        || !Cjk.IsWordCharacter(after)
        || (char.IsLower(before) && char.IsUpper(after))
        || char.IsDigit(before) != char.IsDigit(after);
}
