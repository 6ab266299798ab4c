// What WeChat's editor keeps of pasted or uploaded HTML, and so all the article may use: no scripts, classes, ids or
// external stylesheets (the editor strips them, and draft/add removes scripts), styles inline only, images only from
// media/uploadimg, and no outside links (a published article may link only to other WeChat articles).
using System.Text;

namespace PaperBot.Channels.WeChat.Articles;

public static class ArticleHtml
{
    /// <summary>The only elements the article is written with.</summary>
    public static readonly IReadOnlySet<string> AllowedTags = new HashSet<string>(StringComparer.Ordinal)
    {
        "section", "p", "span", "strong", "em", "h1", "h2", "h3", "h4", "br", "img", "ul", "ol", "li", "blockquote", "hr",
    };

    /// <summary>The only attributes: <c>style</c> anywhere, and an image's <c>src</c> and <c>alt</c>.</summary>
    public static readonly IReadOnlyDictionary<string, IReadOnlySet<string>> AllowedAttributes = new Dictionary<string, IReadOnlySet<string>>(StringComparer.Ordinal)
    {
        ["*"] = new HashSet<string>(StringComparer.Ordinal) { "style" },
        ["img"] = new HashSet<string>(StringComparer.Ordinal) { "style", "src", "alt" },
    };

    public static bool IsAllowed(string tag, string attribute) =>
        (AllowedAttributes.TryGetValue(tag, out var own) ? own : AllowedAttributes["*"]).Contains(attribute);

    /// <summary>Text as HTML: the four characters that could open or close markup are written as entities.</summary>
    public static string Text(string text)
    {
        var escaped = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            escaped.Append(c switch
            {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '"' => "&quot;",
                _ => c.ToString(),
            });
        }

        return escaped.ToString();
    }
}
