using PaperBot.Core.Configuration;

namespace PaperBot.Core.Arxiv;

/// <summary>The <c>Arxiv</c> section: where paper metadata comes from at import.</summary>
public sealed class ArxivOptions : IValidatedOptions
{
    public const string Section = "Arxiv";

    /// <summary>Off: imports and the background fill never call arXiv.</summary>
    public bool Enabled { get; set; } = true;

    public string ApiBaseUrl { get; set; } = "https://export.arxiv.org/api/query";

    /// <summary>How long one request may take before the import goes on without metadata.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>arXiv asks for no more than one request every three seconds.</summary>
    public static readonly TimeSpan Spacing = TimeSpan.FromSeconds(3);

    public IEnumerable<string> Validate()
    {
        if (!Uri.TryCreate(ApiBaseUrl, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            yield return $"Arxiv:ApiBaseUrl must be an absolute http(s) URL, not '{ApiBaseUrl}'";
        if (Timeout <= TimeSpan.Zero || Timeout > TimeSpan.FromMinutes(5))
            yield return $"Arxiv:Timeout must be more than 0 and at most 00:05:00, not '{Timeout}'";
    }
}
