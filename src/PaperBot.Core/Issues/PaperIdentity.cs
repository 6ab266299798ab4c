using System.Globalization;
using System.Text;

namespace PaperBot.Core.Issues;

/// <summary>
/// Whether two papers (in different issues, or a digest imported again) are the same paper: the same arXiv id,
/// or, when either has none, the same title once normalised (NFKC, lower case, letters and digits only).
/// </summary>
public static class PaperIdentity
{
    public static bool Same(Paper a, Paper b) =>
        a.ArxivId is not null && b.ArxivId is not null
            ? a.ArxivId == b.ArxivId
            : TitleKey(a.Title) == TitleKey(b.Title);

    public static string TitleKey(string title)
    {
        var key = new StringBuilder();
        foreach (var c in title.Normalize(NormalizationForm.FormKC))
        {
            if (char.IsLetterOrDigit(c))
                key.Append(char.ToLower(c, CultureInfo.InvariantCulture));
        }

        return key.ToString();
    }
}
