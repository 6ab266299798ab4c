using System.Text;

namespace PaperBot.Core.Digests;

/// <summary>
/// The form in which titles are compared: NFKC (full-width colons and letters become their
/// ASCII forms) with every whitespace character removed, because digests space Chinese and
/// Latin words inconsistently (<c>推出CoVoMix</c> in the contents, <c>推出 CoVoMix</c> in the section).
/// </summary>
internal static class TitleKey
{
    public static string Of(string title)
    {
        var normalized = title.Normalize(NormalizationForm.FormKC);
        var key = new StringBuilder(normalized.Length);
        foreach (var c in normalized)
        {
            if (!char.IsWhiteSpace(c))
            {
                key.Append(c);
            }
        }

        return key.ToString();
    }
}
