using System.Globalization;
using System.Text;

namespace PaperBot.WeChat;

public static class WeChatText
{
    /// <summary>
    /// Shortens <paramref name="text"/> to at most <paramref name="maxBytes"/> UTF-8 bytes, ellipsis
    /// included. The cut falls between grapheme clusters, so it never splits a surrogate pair, a
    /// UTF-8 sequence, or an emoji built from several code points.
    /// </summary>
    public static string TruncateUtf8(string text, int maxBytes = WeChatReply.MaxTextBytes, string ellipsis = "…")
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(ellipsis);
        if (Encoding.UTF8.GetByteCount(text) <= maxBytes)
        {
            return text;
        }

        var budget = maxBytes - Encoding.UTF8.GetByteCount(ellipsis);
        if (budget < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(maxBytes), maxBytes, "The ellipsis alone exceeds maxBytes.");
        }

        var kept = 0;
        var used = 0;
        while (kept < text.Length)
        {
            var elementLength = StringInfo.GetNextTextElementLength(text.AsSpan(kept));
            var elementBytes = Encoding.UTF8.GetByteCount(text.AsSpan(kept, elementLength));
            if (used + elementBytes > budget)
            {
                break;
            }

            used += elementBytes;
            kept += elementLength;
        }

        return string.Concat(text.AsSpan(0, kept), ellipsis);
    }
}
