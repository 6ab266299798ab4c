using System.Text;
using System.Text.RegularExpressions;

namespace PaperBot.Core.Digests;

/// <summary>
/// Joins lines that a digest wrapped: Chinese continues without a space, two words of an
/// alphabetic script (or digits) get one space between them. Punctuation joins without a space
/// because our digests use ASCII punctuation in Chinese text (<c>Transformer:Google</c>).
/// In a paragraph, a line that starts a list item (<c>1. </c>, <c>- </c>) keeps its line break.
/// </summary>
internal static partial class WrappedLines
{
    [GeneratedRegex(@"^(?:\d{1,3}(?:\.(?!\d)|[、\uFF0E)\uFF09])|[-*•·]\s)")]
    private static partial Regex ListItemStart();

    /// <summary>Joins the lines of a title: always one line.</summary>
    public static string Join(IEnumerable<string> lines) => Join(lines, keepListItems: false);

    /// <summary>Joins the lines of a paragraph, keeping list items on lines of their own.</summary>
    public static string JoinParagraph(IEnumerable<string> lines) => Join(lines, keepListItems: true);

    private static string Join(IEnumerable<string> lines, bool keepListItems)
    {
        var joined = new StringBuilder();
        foreach (var raw in lines)
        {
            var line = raw.Trim();
            if (line.Length == 0)
            {
                continue;
            }

            if (joined.Length > 0)
            {
                if (keepListItems && ListItemStart().IsMatch(line))
                {
                    joined.Append('\n');
                }
                else if (Cjk.IsWordCharacter(joined[^1]) && Cjk.IsWordCharacter(line[0]))
                {
                    joined.Append(' ');
                }
            }

            joined.Append(line);
        }

        return joined.ToString();
    }
}
