using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Xml.Linq;
using Microsoft.Extensions.DependencyInjection;
using PaperBot.Core.Issues;
using PaperBot.Tests.Browser;
using PaperBot.TestServices;

namespace PaperBot.Tests.Web;

public class PublicApiTests
{
    protected virtual string Provider => "Sqlite";

    private PaperBotApp NewApp(Dictionary<string, string?>? settings = null)
    {
        settings ??= [];
        settings["Storage:Provider"] = Provider;
        return new PaperBotApp(settings);
    }

    [SkippableFact]
    public async Task HealthzReportsTheDatabaseHealthy()
    {
        using var app = NewApp();
        var response = await app.CreateClient().GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<Dictionary<string, string>>();
        Assert.Equal("healthy", body!["database"]);
    }

    // Uptime monitors probe with HEAD. Over a real socket: Kestrel, not the endpoint, leaves out the body.
    [SkippableFact]
    public async Task HealthzAnswersAHeadRequestWithoutABody()
    {
        using var app = NewApp();
        using var client = new HttpClient { BaseAddress = LiveHost.Start(app) };
        var response = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/healthz"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    // What happens to an operator: on SQLite the volume holding data/ goes away, on PostgreSQL the database is dropped.
    [SkippableFact]
    public async Task HealthzAnswers503WhenTheDatabaseIsGone()
    {
        // With the database gone, the scheduler's stop waits out the shutdown timeout (SchedulerShutdownTests): 3 s, not 30.
        using var app = NewApp(new Dictionary<string, string?> { ["shutdownTimeoutSeconds"] = "3" });
        var client = app.CreateClient();
        Assert.Equal("""{"status":"healthy","database":"healthy","warmup":"healthy"}""", await client.GetStringAsync("/healthz"));

        if (app.Postgres is { } database)
            await database.DropAsync();
        else
            Directory.Delete(app.Directory, recursive: true);
        var response = await client.GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("""{"status":"unhealthy","database":"unhealthy","warmup":"healthy"}""", await response.Content.ReadAsStringAsync());
    }

    [SkippableFact]
    public async Task LatestIssueIsTheSampleWithEveryPaperFieldAndNullForMissingLinks()
    {
        using var app = NewApp();
        using var json = JsonDocument.Parse(await app.CreateClient().GetStringAsync("/api/issues/latest"));
        var papers = json.RootElement.GetProperty("papers").EnumerateArray().ToList();

        Assert.Equal(14, papers.Count);
        var rho = papers[3];
        Assert.Equal(4, rho.GetProperty("number").GetInt32());
        Assert.Contains("Rho-1", rho.GetProperty("title").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("以往的语言模型", rho.GetProperty("summary").GetString(), StringComparison.Ordinal);
        Assert.Equal("2404.07965", rho.GetProperty("arxivId").GetString());
        Assert.Equal("https://arxiv.org/abs/2404.07965", rho.GetProperty("links").GetProperty("paper").GetString());
        Assert.Equal("https://github.com/microsoft/rho", rho.GetProperty("links").GetProperty("code").GetString());
        Assert.Equal(JsonValueKind.Null, rho.GetProperty("links").GetProperty("project").ValueKind);
        Assert.Equal(JsonValueKind.Null, papers[0].GetProperty("links").GetProperty("code").ValueKind);
        Assert.Equal("https://brave-vlms.epfl.ch/", papers[5].GetProperty("links").GetProperty("project").GetString());
        Assert.Contains("long-context", papers[6].GetProperty("topics").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(SampleDigest.Rows, papers.Select(p => SampleDigest.Row(
            p.GetProperty("number").GetInt32(),
            p.GetProperty("title").GetString(),
            p.GetProperty("arxivId").GetString(),
            p.GetProperty("links").GetProperty("paper").GetString(),
            p.GetProperty("links").GetProperty("code").GetString(),
            p.GetProperty("links").GetProperty("project").GetString())));
    }

    [SkippableFact]
    public async Task IssueListShowsPublishedIssuesAndHidesDraftsFromTheAnonymous()
    {
        using var app = NewApp();
        var client = app.CreateClient();
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var next = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "samples", "digest-sample.txt")).Replace("超越 Transformer", "超越 RNN", StringComparison.Ordinal);
            await scope.ServiceProvider.GetRequiredService<IssueImporter>().ImportAsync(next, null, "test", CancellationToken.None);
        }

        using var list = JsonDocument.Parse(await client.GetStringAsync("/api/issues"));
        var issue = Assert.Single(list.RootElement.EnumerateArray());
        Assert.Equal(1, issue.GetProperty("id").GetInt32());
        Assert.Equal("published", issue.GetProperty("status").GetString());
        Assert.Equal(14, issue.GetProperty("paperCount").GetInt32());
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/issues/2")).StatusCode);
    }

    [SkippableTheory]
    [InlineData("/api/issues/99", HttpStatusCode.NotFound, "no issue 99")]
    [InlineData("/api/issues/abc", HttpStatusCode.BadRequest, "not an issue id")]
    public async Task UnknownIssueIdsGetAShortError(string url, HttpStatusCode status, string message)
    {
        using var app = NewApp();
        var response = await app.CreateClient().GetAsync(url);

        Assert.Equal(status, response.StatusCode);
        Assert.Contains(message, (await response.Content.ReadFromJsonAsync<Dictionary<string, string>>())!["error"], StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task TopicCatalogueHasSlugsWithChineseAndEnglishNames()
    {
        using var app = NewApp();
        using var json = JsonDocument.Parse(await app.CreateClient().GetStringAsync("/api/topics"));
        var longContext = json.RootElement.EnumerateArray().Single(t => t.GetProperty("slug").GetString() == "long-context");

        Assert.Equal("长上下文", longContext.GetProperty("names").GetProperty("zh").GetString());
        Assert.Equal("Long context", longContext.GetProperty("names").GetProperty("en").GetString());
        Assert.InRange(json.RootElement.GetArrayLength(), 12, 20);
    }

    [SkippableFact]
    public async Task FeedIsAtomWithThePublishedIssue()
    {
        using var app = NewApp();
        var response = await app.CreateClient().GetAsync("/feed.xml");
        var feed = XDocument.Parse(await response.Content.ReadAsStringAsync());
        XNamespace atom = "http://www.w3.org/2005/Atom";

        Assert.Equal("application/atom+xml", response.Content.Headers.ContentType!.MediaType);
        var entry = Assert.Single(feed.Root!.Elements(atom + "entry"));
        Assert.EndsWith("/issues/1", entry.Element(atom + "id")!.Value, StringComparison.Ordinal);
        Assert.Contains("2404.07965", entry.Element(atom + "content")!.Value, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task FeedLeavesOutDraftsAndScheduledIssues()
    {
        using var app = NewApp();
        var client = app.CreateClient();
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var importer = scope.ServiceProvider.GetRequiredService<IssueImporter>();
            var sample = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "samples", "digest-sample.txt"));
            var draft = await importer.ImportAsync(sample.Replace("超越 Transformer", "超越 RNN", StringComparison.Ordinal), null, "test", CancellationToken.None);
            var ready = await importer.ImportAsync(sample.Replace("超越 Transformer", "超越 CNN", StringComparison.Ordinal), null, "test", CancellationToken.None);
            Assert.Equal(2, Assert.IsType<ImportOutcome.Imported>(draft).IssueId);
            Assert.Equal(3, Assert.IsType<ImportOutcome.Imported>(ready).IssueId);
            var scheduled = await scope.ServiceProvider.GetRequiredService<IssueScheduler>()
                .ScheduleAsync(3, new DateTimeOffset(2099, 1, 5, 1, 0, 0, TimeSpan.Zero), "test", CancellationToken.None);
            Assert.IsType<ScheduleOutcome.Scheduled>(scheduled);
        }

        var feed = XDocument.Parse(await client.GetStringAsync("/feed.xml"));
        XNamespace atom = "http://www.w3.org/2005/Atom";

        var entries = feed.Root!.Elements(atom + "entry").ToList();
        Assert.Equal(["第 1 期 · 本周值得关注的大模型 / AIGC 前沿研究"], entries.Select(e => e.Element(atom + "title")!.Value));
        Assert.Equal(["http://localhost/issues/1"], entries.Select(e => e.Element(atom + "id")!.Value));
    }

    [SkippableFact]
    public async Task WithoutTheSampleTheArchiveStartsEmpty()
    {
        using var app = NewApp(new Dictionary<string, string?> { ["Samples:ImportOnFirstStart"] = "false" });
        var client = app.CreateClient();

        Assert.Equal("[]", await client.GetStringAsync("/api/issues"));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/issues/latest")).StatusCode);
    }

    [SkippableFact]
    public async Task TheDatabaseFileIsCreatedWithMigrationsOnFirstStart()
    {
        using var app = NewApp();
        app.CreateClient();

        Assert.True(Provider != "Sqlite" || File.Exists(app.DatabasePath));
        Assert.Equal(1, await app.CountAsync<Core.Issues.Issue>());
    }
}

public sealed class PublicApiTestsOnPostgres : PublicApiTests
{
    protected override string Provider => "Postgres";
}
