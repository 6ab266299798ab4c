using System.Net;
using Microsoft.EntityFrameworkCore;

namespace PaperBot.Tests.Web;

public sealed class ArchivePageTests
{
    [Fact]
    public async Task HomePageShowsTheLatestIssueAndTheConsole()
    {
        using var app = new PaperBotApp();
        var html = await app.CreateClient().GetStringAsync("/");

        Assert.Contains("微软、厦大、清华提出 Rho-1", html, StringComparison.Ordinal);
        Assert.Contains("https://github.com/microsoft/rho", html, StringComparison.Ordinal);
        Assert.Contains("id=\"console-form\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EnglishSwitchIsRemembered()
    {
        using var app = new PaperBotApp();
        var client = app.CreateClient();
        Assert.Contains("Latest issue", await client.GetStringAsync("/?lang=en"), StringComparison.Ordinal);
        Assert.Contains("lang=\"en\"", await client.GetStringAsync("/issues/1"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PaperPageShowsOnePaperWithNeighbours()
    {
        using var app = new PaperBotApp();
        var html = await app.CreateClient().GetStringAsync("/issues/1/papers/4");

        Assert.Contains("Rho-1", html, StringComparison.Ordinal);
        Assert.Contains("/issues/1/papers/3", html, StringComparison.Ordinal);
        Assert.Contains("/issues/1/papers/5", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/issues/99")]
    [InlineData("/issues/1/papers/99")]
    public async Task UnknownIssuesAndPapersAre404(string url)
    {
        using var app = new PaperBotApp();
        Assert.Equal(HttpStatusCode.NotFound, (await app.CreateClient().GetAsync(url)).StatusCode);
    }

    [Theory]
    [InlineData("/issues/999")]
    [InlineData("/issues/1/papers/99")]
    [InlineData("/nonexistent")]
    public async Task ABrowserAskingForAPageThatIsNotThereSeesTheSitesNotFoundPageWithALinkHome(string url)
    {
        using var app = new PaperBotApp();
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.ParseAdd("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8");

        var response = await app.CreateClient().SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("<title>没有找到这一页 · PaperBot</title>", html, StringComparison.Ordinal);
        Assert.Contains("<p>没有找到这一页。</p>", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"/\" id=\"home\">返回首页</a>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheNotFoundPageSpeaksTheVisitorsLanguage()
    {
        using var app = new PaperBotApp();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/issues/999?lang=en");
        request.Headers.Accept.ParseAdd("text/html");

        var html = await (await app.CreateClient().SendAsync(request)).Content.ReadAsStringAsync();

        Assert.Contains("<p>This page does not exist.</p>", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"/\" id=\"home\">Back to the home page</a>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheJsonApiAnswersAMissingIssueInJsonEvenToABrowser()
    {
        using var app = new PaperBotApp();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/issues/999");
        request.Headers.Accept.ParseAdd("text/html,*/*;q=0.8");

        var response = await app.CreateClient().SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("""{"error":"there is no issue 999"}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task SearchPageFindsPapers()
    {
        using var app = new PaperBotApp();
        var html = await app.CreateClient().GetStringAsync("/search?q=" + Uri.EscapeDataString("长上下文"));
        Assert.Contains("/issues/1/papers/5", html, StringComparison.Ordinal);
        Assert.Contains("/issues/1/papers/7", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("long-context", new[] { "/issues/1/papers/5\"", "/issues/1/papers/7\"" })]
    [InlineData("image-generation", new[] { "/issues/1/papers/13\"" })]
    [InlineData("chinese-llm", new[] { "/issues/1/papers/12\"" })]
    public async Task ATopicChipsLinkFindsThePapersOfThatTopic(string slug, string[] papers)
    {
        using var app = new PaperBotApp();
        var client = app.CreateClient();
        Assert.Contains($"href=\"/search?q={slug}\"", await client.GetStringAsync("/"), StringComparison.Ordinal);

        var html = await client.GetStringAsync("/search?q=" + slug);

        foreach (var paper in papers)
            Assert.Contains(paper, html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnIssueIsDatedTheDayItCameOutWhereItsReadersAre()
    {
        using var app = new PaperBotApp();
        // Monday 07:30 in Shanghai (the schedule's zone), still Sunday in UTC.
        var published = new DateTimeOffset(2026, 11, 22, 23, 30, 0, TimeSpan.Zero);
        await app.QueryAsync(db => db.Issues.Where(i => i.Id == 1).ExecuteUpdateAsync(i => i.SetProperty(x => x.PublishedAt, published)));
        var client = app.CreateClient();

        var issue = await client.GetStringAsync("/issues/1");
        var home = await client.GetStringAsync("/");

        Assert.Contains("<p class=\"meta\">2026-11-23 · ", issue, StringComparison.Ordinal);
        Assert.Contains("<p class=\"meta\">2026-11-23 · ", home, StringComparison.Ordinal);
        Assert.DoesNotContain("2026-11-22", issue + home, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SwitchingLanguageOnASearchKeepsTheSearch()
    {
        using var app = new PaperBotApp();
        var client = app.CreateClient();

        var chinese = await client.GetStringAsync("/search?q=" + Uri.EscapeDataString("长上下文"));
        var link = System.Text.RegularExpressions.Regex.Match(chinese, "<a href=\"([^\"]*)\" class=\"lang\">").Groups[1].Value;
        var english = await client.GetStringAsync("/search" + WebUtility.HtmlDecode(link));

        Assert.Equal("?q=%E9%95%BF%E4%B8%8A%E4%B8%8B%E6%96%87&lang=en", WebUtility.HtmlDecode(link));
        Assert.Contains("lang=\"en\"", english, StringComparison.Ordinal);
        Assert.Contains("/issues/1/papers/5\"", english, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASearchTooLongToRunSaysSo()
    {
        using var app = new PaperBotApp();
        var html = await app.CreateClient().GetStringAsync("/search?q=" + new string('x', 101));
        Assert.Contains("搜索词太长了(最多 100 个字符)。", html, StringComparison.Ordinal);
    }
}
