using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;

namespace PaperBot.Core.Arxiv;

/// <summary>What arXiv knows about one paper.</summary>
public sealed record ArxivMetadata(string ArxivId, string Title, IReadOnlyList<string> Authors, string Abstract, string? PrimaryCategory, DateTimeOffset? Published);

/// <summary>arXiv answered, but not with results: throttling ("Rate exceeded."), an Error entry, or not a feed.</summary>
public sealed class ArxivUnavailableException(string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>The id an Error entry says arXiv refused the whole query for ("incorrect id format for …").</summary>
    public string? RefusedId { get; init; }
}

/// <summary>
/// Reads the arXiv API's Atom feed (https://info.arxiv.org/help/api/user-manual.html): one <c>entry</c> per paper
/// with <c>id</c> (the abstract URL with a version, http or https), <c>title</c> and <c>summary</c> (hard-wrapped),
/// <c>author/name</c>, <c>published</c> (the first version) and <c>arxiv:primary_category/@term</c>. A malformed
/// query answers (400, or 200 from older mirrors) with a single entry titled "Error"; throttling answers a plain-text
/// "Rate exceeded.".
/// </summary>
public static partial class ArxivAtom
{
    private static readonly XNamespace Atom = "http://www.w3.org/2005/Atom";
    private static readonly XNamespace Arxiv = "http://arxiv.org/schemas/atom";

    [GeneratedRegex(@"/abs/(?<id>.+?)(?:v\d+)?$")]
    private static partial Regex AbstractUrl();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"^incorrect id format for (?<id>\S+)$")]
    private static partial Regex IncorrectId();

    public static IReadOnlyList<ArxivMetadata> Parse(string xml)
    {
        var entries = new List<ArxivMetadata>();
        foreach (var entry in Feed(xml).Elements(Atom + "entry"))
        {
            if (Refusal(entry) is { } refusal)
                throw refusal;
            var id = (string?)entry.Element(Atom + "id") ?? "";
            var title = Collapse((string?)entry.Element(Atom + "title"));
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

    /// <summary>The refusal an answer other than 200 holds in an Error entry; null when it holds none.</summary>
    public static ArxivUnavailableException? RefusalIn(string xml)
    {
        try
        {
            return Feed(xml).Elements(Atom + "entry").Select(Refusal).FirstOrDefault(r => r is not null);
        }
        catch (ArxivUnavailableException)
        {
            return null;
        }
    }

    private static XElement Feed(string xml)
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
        return document.Root;
    }

    private static ArxivUnavailableException? Refusal(XElement entry)
    {
        var id = (string?)entry.Element(Atom + "id") ?? "";
        if (Collapse((string?)entry.Element(Atom + "title")) != "Error" || !id.Contains("/api/errors", StringComparison.Ordinal))
            return null;
        var reason = Collapse((string?)entry.Element(Atom + "summary"));
        return new ArxivUnavailableException($"arXiv refused the query: {reason}")
        {
            RefusedId = IncorrectId().Match(reason) is { Success: true } refused ? refused.Groups["id"].Value : null,
        };
    }

    private static string Collapse(string? text) => Whitespace().Replace(text ?? "", " ").Trim();
}
