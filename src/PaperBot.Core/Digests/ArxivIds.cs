using System.Globalization;
using System.Text.RegularExpressions;

namespace PaperBot.Core.Digests;

public static partial class ArxivIds
{
    // New-style ids (2404.07965) and old-style ones (hep-th/9901001, math.GT/0309136), under
    // /abs/, /pdf/ or /html/, with an optional version (v2) and, for PDFs, an optional ".pdf".
    [GeneratedRegex(@"^/(?:abs|pdf|html)/(?<id>\d{4}\.\d{4,5}|[a-z]+(?:-[a-z]+)*(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?(?:\.pdf)?/?$")]
    private static partial Regex ArticlePath();

    [GeneratedRegex(@"v\d+$")]
    private static partial Regex VersionSuffix();

    /// <summary>
    /// The id as arXiv's API knows it and answers with (the <c>id</c> of its Atom entries): lower case, without a
    /// version, and an old-style id's subject class dropped to its archive (math.GT/0309136 is math/0309136).
    /// </summary>
    public static string Canonical(string id)
    {
        var canonical = VersionSuffix().Replace(id.Trim().ToLowerInvariant(), "");
        var slash = canonical.IndexOf('/', StringComparison.Ordinal);
        var dot = canonical.IndexOf('.', StringComparison.Ordinal);
        return slash > 0 && dot >= 0 && dot < slash ? canonical[..dot] + canonical[slash..] : canonical;
    }

    /// <summary>
    /// Whether arXiv can have issued <paramref name="id"/>: the number starts with a year and a month 01–12 (2404.07965,
    /// hep-th/9901001). arXiv refuses a whole request for one id such as 2313.12345 or 0000.00001.
    /// </summary>
    public static bool IsPlausible(string id)
    {
        var number = id.AsSpan(id.LastIndexOf('/') + 1);
        return number.Length >= 4 && int.TryParse(number[2..4], NumberStyles.None, CultureInfo.InvariantCulture, out var month) && month is >= 1 and <= 12;
    }

    /// <summary>
    /// The arXiv identifier of an arxiv.org article URL (http or https, with or without www.),
    /// without its version suffix; null for anything else, an id arXiv cannot have issued included.
    /// </summary>
    public static string? FromUrl(string? url)
    {
        if (string.IsNullOrWhiteSpace(url)
            || !Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            return null;
        }

        var host = uri.Host;
        if (!host.Equals("arxiv.org", StringComparison.OrdinalIgnoreCase)
            && !host.Equals("www.arxiv.org", StringComparison.OrdinalIgnoreCase)
            && !host.Equals("export.arxiv.org", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var match = ArticlePath().Match(uri.AbsolutePath);
        return match.Success && IsPlausible(match.Groups["id"].Value) ? match.Groups["id"].Value : null;
    }
}
