using System.Globalization;
using System.Text;
using PaperBot.Core.Commands;

namespace PaperBot.Admin;

/// <summary>
/// Stand-in for the WeChat channel's formatter until it lands on main: a text reply is the messages' plain text,
/// cut at WeChat's 2048 UTF-8 bytes; a paper card is a news article that opens the paper's page in the archive.
/// </summary>
public static class WeChatPreview
{
    public const int MaxTextBytes = 2048;
    private const int MaxDescriptionBytes = 512;

    public static string Text(IReadOnlyList<ReplyMessage> messages) =>
        Truncate(string.Join("\n\n", messages.Select(m => m.ToPlainText())), MaxTextBytes);

    public static WeChatCard Article(PaperCard card, string publicBaseUrl)
    {
        var summary = card.Paper.Summary.Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "";
        return new WeChatCard(
            $"{card.Paper.Number}. {card.Paper.Title}",
            Truncate(summary, MaxDescriptionBytes),
            string.Create(CultureInfo.InvariantCulture, $"{publicBaseUrl.TrimEnd('/')}/issues/{card.IssueId}/papers/{card.Paper.Number}"));
    }

    /// <summary>At most <paramref name="maxBytes"/> UTF-8 bytes, cut between characters and ending in "…" when cut.</summary>
    public static string Truncate(string text, int maxBytes)
    {
        if (Encoding.UTF8.GetByteCount(text) <= maxBytes)
            return text;
        var budget = maxBytes - Encoding.UTF8.GetByteCount("…");
        var result = new StringBuilder();
        var used = 0;
        var elements = StringInfo.GetTextElementEnumerator(text);
        while (elements.MoveNext())
        {
            var element = elements.GetTextElement();
            var bytes = Encoding.UTF8.GetByteCount(element);
            if (used + bytes > budget)
                break;
            result.Append(element);
            used += bytes;
        }

        return result.Append('…').ToString();
    }
}
