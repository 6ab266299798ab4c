using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using PaperBot.Core.Issues;
using PaperBot.Core.Publishing;
using PaperBot.Tests.Admin;

namespace PaperBot.Tests.Security;

/// <summary>/api/chat with an admin's cookie in the browser, asked by another site; bodies that are not JSON; one client's rate.</summary>
public sealed partial class ConsoleSecurityTests
{
    [Theory]
    [InlineData("https://evil.example", null)]
    [InlineData(null, "https://evil.example/page.html")]
    [InlineData("null", null)]
    [InlineData(null, null)]
    public async Task ACrossOriginConsolePostWithTheAdminCookieRunsNoAdminCommand(string? origin, string? referer)
    {
        using var app = new PaperBotApp(AdminSession.WithPassword());
        var admin = AdminSession.For(app);
        await admin.LogInAsync();
        var draft = await AdminAccessTests.ImportDraftAsync(admin);

        var publish = await PostAsync(admin.Client, new { text = $"/publish {draft} confirm" }, origin, referer);
        var broadcast = await PostAsync(admin.Client, new { text = "/broadcast 一个钓鱼链接" }, origin, referer);
        var reading = await PostAsync(admin.Client, new { text = "/paper 4" }, origin, referer);

        Assert.Equal("这个命令只对管理员开放。", await ReplyTextAsync(publish));
        Assert.Equal("这个命令只对管理员开放。", await ReplyTextAsync(broadcast));
        Assert.Contains("Rho-1", await ReplyTextAsync(reading), StringComparison.Ordinal);
        Assert.Equal(IssueStatus.Draft, await app.QueryAsync(db => db.Issues.Where(i => i.Id == draft).Select(i => i.Status).SingleAsync()));
        Assert.Equal(0, await app.QueryAsync(db => db.Pushes.CountAsync(p => p.Kind == PushKind.Broadcast)));
    }

    [Fact]
    public async Task TheConsolesOwnPageRunsAdminCommandsWithItsOriginOrItsAntiforgeryToken()
    {
        using var app = new PaperBotApp(AdminSession.WithPassword());
        var admin = AdminSession.For(app);
        await admin.LogInAsync();
        var page = await admin.Client.GetStringAsync("/");
        var token = WebUtility.HtmlDecode(ConsoleToken().Match(page).Groups[1].Value);

        var withOrigin = await PostAsync(admin.Client, new { text = "/stats" }, "http://localhost", null);
        var withToken = await PostAsync(admin.Client, new { text = "/stats" }, null, null, token);
        var anonymousPage = await app.CreateClient().GetStringAsync("/");

        Assert.Contains("Subscribers:", await ReplyTextAsync(withOrigin), StringComparison.Ordinal);
        Assert.Contains("Subscribers:", await ReplyTextAsync(withToken), StringComparison.Ordinal);
        Assert.NotEmpty(token);
        Assert.DoesNotMatch(ConsoleToken(), anonymousPage);
    }

    [Theory]
    [InlineData("text/plain", "{\"text\": \"/stats\"}")]
    [InlineData("application/x-www-form-urlencoded", "text=%2Fstats")]
    [InlineData("multipart/form-data; boundary=x", "--x\r\nContent-Disposition: form-data; name=\"text\"\r\n\r\n/stats\r\n--x--\r\n")]
    public async Task OnlyJsonBodiesAreRead(string contentType, string body)
    {
        using var app = new PaperBotApp();
        var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType);

        var response = await app.CreateClient().PostAsync("/api/chat", content);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Contains("application/json", (await response.Content.ReadFromJsonAsync<Dictionary<string, string>>())!["error"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheRateLimitCountsEachClientBehindATrustedProxyOnItsOwn()
    {
        using var app = new PaperBotApp(new Dictionary<string, string?> { ["Web:ConsoleMessagesPerMinute"] = "2" });
        var first = app.CreateClient();
        first.DefaultRequestHeaders.Add("X-Forwarded-For", "203.0.113.10");
        var second = app.CreateClient();
        second.DefaultRequestHeaders.Add("X-Forwarded-For", "203.0.113.20");

        await first.ChatAsync("/help");
        await first.ChatAsync("/help");
        var third = await first.PostAsJsonAsync("/api/chat", new { text = "/help" });
        var other = await second.PostAsJsonAsync("/api/chat", new { text = "/help" });

        Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }

    [Fact]
    public async Task TheRateLimitCountsAnIpv6ClientsWholeNetworkAsOneClient()
    {
        using var app = new PaperBotApp(new Dictionary<string, string?> { ["Web:ConsoleMessagesPerMinute"] = "2" });
        HttpClient From(string address)
        {
            var client = app.CreateClient();
            client.DefaultRequestHeaders.Add("X-Forwarded-For", address);
            return client;
        }

        await From("2001:db8:1:2::10").ChatAsync("/help");
        await From("2001:db8:1:2::11").ChatAsync("/help");
        var sameNetwork = await From("2001:db8:1:2:ffff::1").PostAsJsonAsync("/api/chat", new { text = "/help" });
        var otherNetwork = await From("2001:db8:1:3::10").PostAsJsonAsync("/api/chat", new { text = "/help" });

        Assert.Equal(HttpStatusCode.TooManyRequests, sameNetwork.StatusCode);
        Assert.Equal(HttpStatusCode.OK, otherNetwork.StatusCode);
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, object body, string? origin, string? referer, string? token = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/chat") { Content = JsonContent.Create(body) };
        if (origin is not null)
            request.Headers.Add("Origin", origin);
        if (referer is not null)
            request.Headers.Referrer = new Uri(referer);
        if (token is not null)
            request.Headers.Add("X-CSRF-Token", token);
        return await client.SendAsync(request);
    }

    private static async Task<string> ReplyTextAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var chat = await response.Content.ReadFromJsonAsync<ChatClient.ChatBody>();
        return string.Join("\n\n", chat!.Replies.Select(r => r.Text));
    }

    [GeneratedRegex("data-token=\"([^\"]+)\"")]
    private static partial Regex ConsoleToken();
}
