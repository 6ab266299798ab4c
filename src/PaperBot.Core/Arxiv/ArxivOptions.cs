using PaperBot.Core.Configuration;

namespace PaperBot.Core.Arxiv;

/// <summary>The <c>Arxiv</c> section: where paper metadata comes from at import.</summary>
public sealed class ArxivOptions : IValidatedOptions
{
    public const string Section = "Arxiv";

    /// <summary>Off: imports and the background fill never call arXiv.</summary>
    public bool Enabled { get; set; } = true;

    public string ApiBaseUrl { get; set; } = "https://export.arxiv.org/api/query";

    /// <summary>How long one request may take before the import goes on without metadata; nothing else cuts it shorter.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(15);

    public static readonly TimeSpan ShortestTimeout = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan LongestTimeout = TimeSpan.FromMinutes(5);

    /// <summary>arXiv asks for no more than one request every three seconds.</summary>
    public static readonly TimeSpan Spacing = TimeSpan.FromSeconds(3);

    public IEnumerable<string> Validate()
    {
        if (!Uri.TryCreate(ApiBaseUrl, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            yield return $"Arxiv:ApiBaseUrl must be an absolute http(s) URL, not '{ApiBaseUrl}'";
        if (Timeout < ShortestTimeout || Timeout > LongestTimeout)
            yield return $"Arxiv:Timeout must be between {ShortestTimeout} and {LongestTimeout} (hh:mm:ss), not '{Timeout}'";
    }
}
