using System.Xml.Linq;
using PaperBot.Tests.Browser;

namespace PaperBot.Tests.Security;

/// <summary>
/// docs/security.md: "X-Forwarded-For, -Proto and -Host are believed only from Web__TrustedProxies". Without
/// Web__PublicUrl the feed's links follow the request's host, so a forwarded host believed from anyone would let any
/// client point a cached feed at a site of its choosing. Over a real socket from 127.0.0.1.
/// </summary>
public sealed class ForwardedHostTests
{
    private static readonly XNamespace Atom = "http://www.w3.org/2005/Atom";

    [Fact]
    public async Task AForwardedHostAndSchemeAreBelievedFromATrustedProxyAndFromNobodyElse()
    {
        using var behindProxy = new PaperBotApp();
        using var fromProxy = new HttpClient { BaseAddress = LiveHost.Start(behindProxy) };
        using var elsewhere = new PaperBotApp(new Dictionary<string, string?> { ["Web:TrustedProxies:0"] = "10.20.30.0/24" });
        using var fromAnyone = new HttpClient { BaseAddress = LiveHost.Start(elsewhere) };

        var proxied = await FeedAsync(fromProxy);
        var forged = await FeedAsync(fromAnyone);

        Assert.Equal("https://papers.example.org/issues/1", Assert.Single(proxied.Elements(Atom + "entry")).Element(Atom + "link")!.Attribute("href")!.Value);
        Assert.Equal($"{fromAnyone.BaseAddress}issues/1", Assert.Single(forged.Elements(Atom + "entry")).Element(Atom + "link")!.Attribute("href")!.Value);
        Assert.DoesNotContain("papers.example.org", forged.ToString(), StringComparison.Ordinal);
        Assert.Equal([$"{fromAnyone.BaseAddress}feed.xml", $"{fromAnyone.BaseAddress}"], forged.Elements(Atom + "link").Select(l => l.Attribute("href")!.Value));
    }

    private static async Task<XElement> FeedAsync(HttpClient client)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/feed.xml");
        request.Headers.Add("X-Forwarded-For", "198.51.100.7");
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Add("X-Forwarded-Host", "papers.example.org");
        using var response = await client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return XDocument.Parse(await response.Content.ReadAsStringAsync()).Root!;
    }
}
