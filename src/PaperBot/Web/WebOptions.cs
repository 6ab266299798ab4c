using System.Net;
using PaperBot.Core.Configuration;

namespace PaperBot.Web;

public sealed class WebOptions : IValidatedOptions
{
    public const string Section = "Web";

    private static readonly IReadOnlyList<IPNetwork> Loopback = [IPNetwork.Parse("127.0.0.0/8"), IPNetwork.Parse("::1/128")];

    /// <summary>The site's public address, for links sent in messages (WeChat articles) and the feed; empty = taken from each request.</summary>
    public string PublicUrl { get; set; } = "";

    /// <summary>Console messages one client may send per minute (the client's own address, behind trusted proxies).</summary>
    public int ConsoleMessagesPerMinute { get; set; } = 60;

    /// <summary>
    /// Reverse proxies whose X-Forwarded-For, -Proto and -Host are believed: addresses (<c>10.0.0.5</c>) or networks
    /// (<c>10.0.0.0/8</c>). None configured = loopback only. Everyone else's forwarded headers are ignored.
    /// </summary>
    public List<string> TrustedProxies { get; set; } = [];

    /// <summary>
    /// Before /healthz reports healthy, answer console requests in-process until the JIT is quiet, so the first readers
    /// after a start wait no longer than later ones (<see cref="Hosting.ServingWarmup"/>; at most 1 s).
    /// </summary>
    public bool WarmUp { get; set; } = true;

    public IEnumerable<string> Validate()
    {
        if (PublicUrl.Length > 0 && !(Uri.TryCreate(PublicUrl, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"))
            yield return $"Web:PublicUrl must be an absolute http(s) URL, not '{PublicUrl}'";
        if (ConsoleMessagesPerMinute < 1)
            yield return "Web:ConsoleMessagesPerMinute must be at least 1";
        for (var i = 0; i < TrustedProxies.Count; i++)
        {
            if (ParseNetwork(TrustedProxies[i]) is null)
                yield return $"Web:TrustedProxies:{i} must be an IP address or a network such as 10.0.0.0/8, not '{TrustedProxies[i]}'";
        }
    }

    /// <summary>
    /// Where links to the site start, without a trailing slash: <see cref="PublicUrl"/>, else the address this request
    /// was sent to — which is whatever Host header the client chose.
    /// </summary>
    public string PublicBaseUrl(HttpRequest request) =>
        PublicUrl.Length > 0 ? PublicUrl.TrimEnd('/') : $"{request.Scheme}://{request.Host}{request.PathBase}";

    /// <summary>The trusted proxies' networks (an address is a network of one); loopback when none are configured.</summary>
    public IReadOnlyList<IPNetwork> TrustedNetworks()
    {
        var configured = TrustedProxies.Select(ParseNetwork).OfType<IPNetwork>().ToList();
        return configured.Count > 0 ? configured : Loopback;
    }

    /// <summary>True for an address of this machine or of a trusted proxy.</summary>
    public bool IsLocalOrTrusted(IPAddress? address)
    {
        if (address is null)
            return false;
        if (address.IsIPv4MappedToIPv6)
            address = address.MapToIPv4();
        return IPAddress.IsLoopback(address) || TrustedNetworks().Any(network => network.Contains(address));
    }

    private static IPNetwork? ParseNetwork(string entry)
    {
        var text = entry.Trim();
        if (IPAddress.TryParse(text, out var address) && !text.Contains('/', StringComparison.Ordinal))
            return new IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);
        return IPNetwork.TryParse(text, out var network) ? network : null;
    }
}
