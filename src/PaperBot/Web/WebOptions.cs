using PaperBot.Core.Configuration;

namespace PaperBot.Web;

public sealed class WebOptions : IValidatedOptions
{
    public const string Section = "Web";

    /// <summary>The site's public address, for links sent in messages (WeChat articles); empty = taken from each request.</summary>
    public string PublicUrl { get; set; } = "";

    /// <summary>Console messages one address may send per minute.</summary>
    public int ConsoleMessagesPerMinute { get; set; } = 60;

    public IEnumerable<string> Validate()
    {
        if (PublicUrl.Length > 0 && !(Uri.TryCreate(PublicUrl, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"))
            yield return $"Web:PublicUrl must be an absolute http(s) URL, not '{PublicUrl}'";
        if (ConsoleMessagesPerMinute < 1)
            yield return "Web:ConsoleMessagesPerMinute must be at least 1";
    }
}
