using System.Net;
using System.Net.Http.Headers;

namespace PaperBot.Tests.Security;

/// <summary>/metrics: a bearer token when one is configured; otherwise this machine and the trusted proxies only.</summary>
public sealed class MetricsSecurityTests
{
    private const string Token = "scrape-7f3a9c1e5b2d8f4a";

    [Fact]
    public async Task WithATokenMetricsAreRefusedWithoutItOrWithAnotherAndServedWithIt()
    {
        using var app = new PaperBotApp(new Dictionary<string, string?> { ["Metrics:Token"] = Token });
        var client = app.CreateClient();

        var without = await client.GetAsync("/metrics");
        var wrong = await GetAsync(client, "scrape-0000000000000000");
        var right = await GetAsync(client, Token);

        Assert.Equal(HttpStatusCode.Unauthorized, without.StatusCode);
        Assert.Equal("Bearer", without.Headers.WwwAuthenticate.ToString());
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
    }

    [Theory]
    [InlineData("127.0.0.1", null, HttpStatusCode.OK)]
    [InlineData("203.0.113.9", null, HttpStatusCode.Forbidden)]
    [InlineData("127.0.0.1", "203.0.113.9", HttpStatusCode.Forbidden)]
    [InlineData("203.0.113.9", "127.0.0.1", HttpStatusCode.Forbidden)]
    public async Task WithoutATokenMetricsAreServedOnlyToThisMachineAndTheTrustedProxies(string peer, string? forwardedFor, HttpStatusCode expected)
    {
        using var app = new PaperBotApp { PeerAddress = IPAddress.Parse(peer) };
        var client = app.CreateClient();
        if (forwardedFor is not null)
            client.DefaultRequestHeaders.Add("X-Forwarded-For", forwardedFor);

        var response = await client.GetAsync("/metrics");

        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task AConfiguredProxyMayScrapeWithoutAToken()
    {
        using var app = new PaperBotApp(new Dictionary<string, string?> { ["Web:TrustedProxies:0"] = "10.20.30.0/24" }) { PeerAddress = IPAddress.Parse("10.20.30.40") };

        var response = await app.CreateClient().GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static Task<HttpResponseMessage> GetAsync(HttpClient client, string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client.SendAsync(request);
    }
}
