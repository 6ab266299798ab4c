using System.Globalization;
using System.Text;

namespace PaperBot.Tests.Channels.Telegram;

/// <summary>
/// Telegram's HTML parse mode as the Bot API documents it: only its tags, properly nested; every &amp; starts
/// &amp;amp; &amp;lt; &amp;gt; &amp;quot; or a numeric entity; attribute values quoted. Returns the text a user sees,
/// or the error Telegram would give ("can't parse entities: …").
/// </summary>
public static class FakeHtml
{
    private static readonly HashSet<string> Tags =
        ["b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre", "tg-spoiler", "span", "blockquote", "tg-emoji"];

    public static (string Plain, string? Error) Parse(string html)
    {
        var plain = new StringBuilder();
        var open = new Stack<string>();
        var i = 0;
        while (i < html.Length)
        {
            switch (html[i])
            {
                case '<':
                    var end = html.IndexOf('>', i);
                    if (end < 0)
                        return (plain.ToString(), $"Unclosed start tag at byte offset {Offset(html, i)}");
                    var tag = html[(i + 1)..end];
                    if (tag.StartsWith('/'))
                    {
                        var name = tag[1..].Trim();
                        if (open.Count == 0 || open.Peek() != name)
                            return (plain.ToString(), $"Unexpected end tag \"{name}\" at byte offset {Offset(html, i)}");
                        open.Pop();
                    }
                    else
                    {
                        var name = tag.Split(' ', 2)[0];
                        if (!Tags.Contains(name))
                            return (plain.ToString(), $"Unsupported start tag \"{name}\" at byte offset {Offset(html, i)}");
                        if (name == "a" && !ValidHref(tag))
                            return (plain.ToString(), $"Can't parse the href attribute of tag \"a\" at byte offset {Offset(html, i)}");
                        open.Push(name);
                    }

                    i = end + 1;
                    break;
                case '&':
                    var semicolon = html.IndexOf(';', i);
                    var entity = semicolon < 0 ? null : Decode(html[(i + 1)..semicolon]);
                    if (entity is null)
                        return (plain.ToString(), $"Character entity expected at byte offset {Offset(html, i)}");
                    plain.Append(entity);
                    i = semicolon + 1;
                    break;
                default:
                    plain.Append(html[i]);
                    i++;
                    break;
            }
        }

        return open.Count > 0
            ? (plain.ToString(), $"Can't find end tag corresponding to start tag \"{open.Peek()}\"")
            : (plain.ToString(), null);
    }

    /// <summary><c>a href="…"</c>: a double-quoted value without a bare quote or &lt; in it.</summary>
    private static bool ValidHref(string tag)
    {
        const string prefix = "a href=\"";
        if (!tag.StartsWith(prefix, StringComparison.Ordinal) || !tag.EndsWith('"'))
            return false;
        var value = tag[prefix.Length..^1];
        return value.Length > 0 && !value.Contains('"', StringComparison.Ordinal) && !value.Contains('<', StringComparison.Ordinal) && Parse(value).Error is null;
    }

    private static string? Decode(string name) => name switch
    {
        "amp" => "&",
        "lt" => "<",
        "gt" => ">",
        "quot" => "\"",
        ['#', 'x', .. var hex] when int.TryParse(hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var code) => char.ConvertFromUtf32(code),
        ['#', .. var digits] when int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var code) => char.ConvertFromUtf32(code),
        _ => null,
    };

    private static int Offset(string html, int index) => Encoding.UTF8.GetByteCount(html.AsSpan(0, index));
}
