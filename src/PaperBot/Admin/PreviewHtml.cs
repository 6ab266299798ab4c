using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace PaperBot.Admin;

/// <summary>
/// Channel markup made safe to put in the admin page: our own formatters wrote it, but the text inside comes from
/// imported digests and announcements. Telegram HTML keeps <c>b i code</c> and <c>a href</c>; a WeChat text keeps
/// only <c>a href</c> (it has no other markup). Links need an http(s) URL; anything else that looks like a tag,
/// and any stray ampersand, is shown as text.
/// </summary>
public static partial class PreviewHtml
{
    private static readonly HashSet<string> TelegramTags = new(StringComparer.Ordinal) { "b", "/b", "i", "/i", "code", "/code", "/a" };
    private static readonly HashSet<string> WeChatTags = new(StringComparer.Ordinal) { "/a" };

    public static string Sanitize(string telegramHtml) => Sanitize(telegramHtml, TelegramTags);

    /// <summary>A WeChat text is plain text with links; its ampersands and angle brackets are characters, not entities.</summary>
    public static string SanitizeWeChat(string wechatText) => Sanitize(Entities().Replace(wechatText, "&amp;"), WeChatTags);

    private static string Sanitize(string telegramHtml, HashSet<string> simple)
    {
        var output = new StringBuilder(telegramHtml.Length + 64);
        var last = 0;
        foreach (Match tag in Tag().Matches(telegramHtml))
        {
            output.Append(Text(telegramHtml[last..tag.Index]));
            output.Append(Allowed(tag.Value, simple) ?? WebUtility.HtmlEncode(tag.Value));
            last = tag.Index + tag.Length;
        }

        output.Append(Text(telegramHtml[last..]));
        return output.ToString();
    }

    private static string? Allowed(string tag, HashSet<string> simple)
    {
        var name = tag[1..^1];
        if (simple.Contains(name))
            return tag;
        if (Link().Match(tag) is { Success: true } link)
        {
            var href = WebUtility.HtmlDecode(link.Groups["href"].Value);
            if (Uri.TryCreate(href, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
                return $"<a href=\"{WebUtility.HtmlEncode(uri.AbsoluteUri)}\" rel=\"noopener noreferrer\" target=\"_blank\">";
        }

        return null;
    }

    /// <summary>Text between tags: Telegram's four entities stay, any other ampersand or angle bracket is escaped.</summary>
    private static string Text(string text) => Entity().Replace(text.Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal), "&amp;");

    [GeneratedRegex("<[^<>]*>")]
    private static partial Regex Tag();

    [GeneratedRegex("^<a href=\"(?<href>[^\"<>]*)\">$")]
    private static partial Regex Link();

    [GeneratedRegex("&(?!(amp|lt|gt|quot|#[0-9]{1,7});)")]
    private static partial Regex Entity();

    [GeneratedRegex("&(?=(amp|lt|gt|quot|#[0-9]{1,7});)")]
    private static partial Regex Entities();
}
