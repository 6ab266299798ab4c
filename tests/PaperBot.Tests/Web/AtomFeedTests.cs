using System.Net;
using System.Xml.Linq;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PaperBot.Core.Issues;
using PaperBot.Core.Publishing;
using PaperBot.Tests.Browser;

namespace PaperBot.Tests.Web;

public sealed class AtomFeedTests
{
    private static readonly XNamespace Atom = "http://www.w3.org/2005/Atom";

    // Digests pasted from Word or WeChat carry control characters XML 1.0 cannot hold at all. The importer drops them
    // now (ParserRobustnessTests.CharactersNoTextMayCarryAreDroppedFromAPastedDigest); issues stored before it did keep them.
    [Fact]
    public async Task FeedStillAnswersWhenAStoredIssueCarriesControlCharacters()
    {
        using var app = new PaperBotApp();
        await app.QueryAsync(db => db.Issues.Where(i => i.Id == 1)
            .ExecuteUpdateAsync(i => i.SetProperty(x => x.Title, "本周值得关注的\uFFFE大模型 / AIGC 前沿研究")));
        await app.QueryAsync(db => db.Papers.Where(p => p.IssueId == 1 && p.Number == 1)
            .ExecuteUpdateAsync(p => p.SetProperty(x => x.Title, "超越\u000B Transformer:Google DeepMind 提出高效开放语言模型")));
        await app.QueryAsync(db => db.Papers.Where(p => p.IssueId == 1 && p.Number == 3)
            .ExecuteUpdateAsync(p => p.SetProperty(x => x.Title, "英伟达推出音频、音乐理解对话数据集 Audio\u0001 Dialogues")));

        var response = await app.CreateClient().GetAsync("/feed.xml");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var entry = Assert.Single(XDocument.Parse(await response.Content.ReadAsStringAsync()).Root!.Elements(Atom + "entry"));
        Assert.Equal("第 1 期 · 本周值得关注的大模型 / AIGC 前沿研究", entry.Element(Atom + "title")!.Value);
        var content = entry.Element(Atom + "content")!.Value;
        Assert.Contains(">超越 Transformer:Google DeepMind 提出高效开放语言模型</a>", content, StringComparison.Ordinal);
        Assert.Contains(">英伟达推出音频、音乐理解对话数据集 Audio Dialogues</a>", content, StringComparison.Ordinal);
    }

    // A cache in front of the site keeps the feed as the first request made it, Host header and all.
    [Fact]
    public async Task FeedLinksPointAtThePublicAddressWhateverHostTheRequestNamed()
    {
        using var app = new PaperBotApp(new Dictionary<string, string?> { ["Web:PublicUrl"] = "https://papers.example.org/" });
        using var request = new HttpRequestMessage(HttpMethod.Get, "/feed.xml");
        request.Headers.Host = "attacker.example";

        var response = await app.CreateClient().SendAsync(request);

        var feed = XDocument.Parse(await response.Content.ReadAsStringAsync()).Root!;
        Assert.Equal("https://papers.example.org/feed.xml", feed.Element(Atom + "id")!.Value);
        Assert.Equal(
            ["https://papers.example.org/feed.xml", "https://papers.example.org/"],
            feed.Elements(Atom + "link").Select(l => l.Attribute("href")!.Value));
        var entry = Assert.Single(feed.Elements(Atom + "entry"));
        Assert.Equal("https://papers.example.org/issues/1", entry.Element(Atom + "id")!.Value);
        Assert.Equal("https://papers.example.org/issues/1", entry.Element(Atom + "link")!.Attribute("href")!.Value);
        Assert.Contains("href=\"https://papers.example.org/issues/1#paper-4\"", entry.Element(Atom + "content")!.Value, StringComparison.Ordinal);
        Assert.DoesNotContain("attacker.example", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task FeedAnswersAHeadRequestWithoutABody()
    {
        using var app = new PaperBotApp();
        using var client = new HttpClient { BaseAddress = LiveHost.Start(app) };

        var response = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/feed.xml"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/atom+xml", response.Content.Headers.ContentType!.MediaType);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task AFeedReaderThatHasTheLatestFeedGets304UntilAnIssueIsPublished()
    {
        using var app = new PaperBotApp();
        var client = app.CreateClient();
        var first = await client.GetAsync("/feed.xml");
        var etag = first.Headers.ETag!;

        using (var again = new HttpRequestMessage(HttpMethod.Get, "/feed.xml"))
        {
            again.Headers.IfNoneMatch.Add(etag);
            var unchanged = await client.SendAsync(again);
            Assert.Equal(HttpStatusCode.NotModified, unchanged.StatusCode);
            Assert.Equal(etag, unchanged.Headers.ETag);
            Assert.Empty(await unchanged.Content.ReadAsByteArrayAsync());
        }

        var sample = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "samples", "digest-sample.txt"));
        await PublishAsync(app, sample.Replace("超越 Transformer", "超越 RNN", StringComparison.Ordinal));
        using var afterPublishing = new HttpRequestMessage(HttpMethod.Get, "/feed.xml");
        afterPublishing.Headers.IfNoneMatch.Add(etag);
        var changed = await client.SendAsync(afterPublishing);

        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.NotEqual(etag, changed.Headers.ETag);
        Assert.Equal(2, XDocument.Parse(await changed.Content.ReadAsStringAsync()).Root!.Elements(Atom + "entry").Count());
    }

    private static async Task PublishAsync(PaperBotApp app, string digest)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var imported = Assert.IsType<ImportOutcome.Imported>(
            await scope.ServiceProvider.GetRequiredService<IssueImporter>().ImportAsync(digest, null, "test", CancellationToken.None));
        Assert.IsType<PublishOutcome.Published>(
            await scope.ServiceProvider.GetRequiredService<IssuePublisher>().PublishAsync(imported.IssueId, "test", CancellationToken.None));
    }
}
