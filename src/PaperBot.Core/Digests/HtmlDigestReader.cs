// A WeChat article as HTML: saved from the WeChat editor, a published article page (its #js_content), or our own
// export. WeChat's editor turns each typed line into a block (<p>, <section>) and a blank line into an empty one
// (<p><br></p>), so the article goes back to the text digest it was typed from: each block with text is a line,
// <br> breaks a line, an empty block or <hr> is a blank line, and containers of blocks add nothing. The text reader
// then reads those lines, so an article's papers come out exactly as the text digest's.
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace PaperBot.Core.Digests;

internal static partial class HtmlDigestReader
{
    private static readonly HashSet<string> Blocks = new(StringComparer.OrdinalIgnoreCase)
    {
        "address", "article", "aside", "blockquote", "dd", "details", "div", "dl", "dt", "figcaption", "figure", "footer",
        "h1", "h2", "h3", "h4", "h5", "h6", "header", "li", "main", "nav", "ol", "p", "pre", "section", "summary", "table",
        "tbody", "thead", "tfoot", "tr", "ul",
    };

    private static readonly HashSet<string> Invisible = new(StringComparer.OrdinalIgnoreCase)
    {
        "head", "script", "style", "template", "noscript", "svg", "iframe", "mp-style-type", "button", "select", "textarea",
    };

    [GeneratedRegex(@"display\s*:\s*none", RegexOptions.IgnoreCase)]
    private static partial Regex Hidden();

    [GeneratedRegex(@"[\s\u00A0\u200B\uFEFF]+")]
    private static partial Regex Whitespace();

    public static DigestParseResult Read(string html) => TextDigestReader.Read(Lines(html));

    /// <summary>The article's text as the lines a person typed into the editor.</summary>
    public static IReadOnlyList<string> Lines(string html)
    {
        var document = new HtmlParser().ParseDocument(html);
        var lines = new LineWriter();
        lines.Walk(document.GetElementById("js_content") ?? document.Body ?? document.DocumentElement);
        lines.EndLine();
        return lines.Lines;
    }

    private sealed class LineWriter
    {
        private readonly StringBuilder current = new();

        public List<string> Lines { get; } = [];

        public void Walk(INode node)
        {
            switch (node)
            {
                case IText text:
                    current.Append(Whitespace().Replace(text.Data, " "));
                    return;
                case IElement element:
                    WalkElement(element);
                    return;
            }
        }

        /// <summary>Ends the line being written, if it has text.</summary>
        public void EndLine()
        {
            var line = current.ToString().Trim();
            current.Clear();
            if (line.Length > 0)
                Lines.Add(line);
        }

        private void WalkElement(IElement element)
        {
            var name = element.LocalName;
            if (Invisible.Contains(name) || Hidden().IsMatch(element.GetAttribute("style") ?? ""))
                return;

            switch (name)
            {
                case "br":
                    var line = current.ToString().Trim();
                    current.Clear();
                    Lines.Add(line);
                    return;
                case "hr":
                    EndLine();
                    Lines.Add("");
                    return;
                case "img":
                    return;
            }

            if (!Blocks.Contains(name))
            {
                WalkChildren(element);
                return;
            }

            EndLine();
            var before = Lines.Count;
            if (name == "li" && element.ParentElement is { LocalName: "ol" } list)
                current.Append(ListNumber(list, element)).Append(". ");
            WalkChildren(element);
            EndLine();
            if (Lines.Count == before && !element.Children.Any(c => Blocks.Contains(c.LocalName)))
                Lines.Add("");
        }

        private void WalkChildren(IElement element)
        {
            foreach (var child in element.ChildNodes)
                Walk(child);
        }

        private static int ListNumber(IElement list, IElement item)
        {
            var start = int.TryParse(list.GetAttribute("start"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var first) ? first : 1;
            return start + list.Children.Where(c => c.LocalName == "li").TakeWhile(c => c != item).Count();
        }
    }
}
