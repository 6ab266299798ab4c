using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;

namespace PaperBot.Core.Arxiv;

/// <summary>What arXiv knows about one paper.</summary>
public sealed record ArxivMetadata(string ArxivId, string Title, IReadOnlyList<string> Authors, string Abstract, string? PrimaryCategory, DateTimeOffset? Published);

/// <summary>arXiv answered, but not with results: throttling ("Rate exceeded."), an Error entry, or not a feed.</summary>
public sealed class ArxivUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Reads the arXiv API's Atom feed (https://info.arxiv.org/help/api/user-manual.html): one <c>entry</c> per paper
/// with <c>id</c> (the abstract URL with a version, http or https), <c>title</c> and <c>summary</c> (hard-wrapped),
/// <c>author/name</c>, <c>published</c> (the first version) and <c>arxiv:primary_category/@term</c>. A malformed
/// query answers 200 with a single entry titled "Error"; throttling answers a plain-text "Rate exceeded.".
/// </summary>
public static partial class ArxivAtom
{
    private static readonly XNamespace Atom = "http://www.w3.org/2005/Atom";
    private static readonly XNamespace Arxiv = "http://arxiv.org/schemas/atom";

    [GeneratedRegex(@"/abs/(?<id>.+?)(?:v\d+)?$")]
    private static partial Regex AbstractUrl();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    public static IReadOnlyList<ArxivMetadata> Parse(string xml)
    {
        XDocument document;
        try
        {
            document = XDocument.Parse(xml);
        }
        catch (XmlException e)
        {
            var start = xml.Trim();
            throw new ArxivUnavailableException($"not an Atom feed: '{(start.Length > 60 ? start[..60] + "…" : start)}'", e);
        }

        if (document.Root?.Name != Atom + "feed")
            throw new ArxivUnavailableException($"not an Atom feed: root element {document.Root?.Name}");

        var entries = new List<ArxivMetadata>();
        foreach (var entry in document.Root.Elements(Atom + "entry"))
        {
            var id = (string?)entry.Element(Atom + "id") ?? "";
            var title = Collapse((string?)entry.Element(Atom + "title"));
            if (title == "Error" && id.Contains("/api/errors", StringComparison.Ordinal))
                throw new ArxivUnavailableException($"arXiv refused the query: {Collapse((string?)entry.Element(Atom + "summary"))}");
            var match = AbstractUrl().Match(id);
            if (!match.Success || title.Length == 0)
                continue;
            entries.Add(new ArxivMetadata(
                match.Groups["id"].Value,
                title,
                [.. entry.Elements(Atom + "author").Select(a => Collapse((string?)a.Element(Atom + "name"))).Where(n => n.Length > 0)],
                Collapse((string?)entry.Element(Atom + "summary")),
                (string?)entry.Element(Arxiv + "primary_category")?.Attribute("term"),
                DateTimeOffset.TryParse((string?)entry.Element(Atom + "published"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var published) ? published : null));
        }

        return entries;
    }

    private static string Collapse(string? text) => Whitespace().Replace(text ?? "", " ").Trim();
}
