using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using PaperBot.Core.Issues;
using PaperBot.TestServices;

namespace PaperBot.Tests.Arxiv;

public sealed class ArxivMetadataTests
{
    private static readonly string Sample = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "samples", "digest-sample.txt"));

    private static PaperBotApp App(FakeArxiv arxiv, string timeout = "00:00:05") => new(new Dictionary<string, string?>
    {
        ["Samples:ImportOnFirstStart"] = "false",
        ["Arxiv:Enabled"] = "true",
        ["Arxiv:ApiBaseUrl"] = arxiv.Url,
        ["Arxiv:Timeout"] = timeout,
    });

    private static async Task<ImportOutcome> ImportAsync(PaperBotApp app, string digest)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IssueImporter>().ImportAsync(digest, null, "test", CancellationToken.None);
    }

    private static async Task PublishAsync(PaperBotApp app, int issueId)
    {
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<PaperBot.Core.Publishing.IssuePublisher>().PublishAsync(issueId, "test", CancellationToken.None);
    }

    private static async Task<string> ChatAsync(PaperBotApp app, string text)
    {
        using var client = app.CreateClient();
        var reply = await client.PostAsJsonAsync("/api/chat", new { text });
        reply.EnsureSuccessStatusCode();
        return (await reply.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("replies")[0].GetProperty("text").GetString()!;
    }

    [Fact]
    public async Task TheSameDigestImportedTwiceAtOnceIsOneIssueAndTheSecondImportNamesIt()
    {
        await using var arxiv = await FakeArxiv.StartAsync();
        arxiv.Delay = TimeSpan.FromSeconds(1);
        using var app = App(arxiv);

        // A double click on the admin page's import, or the CLI beside it: both look for the digest before either saves it.
        var outcomes = await Task.WhenAll(ImportAsync(app, Sample), ImportAsync(app, Sample));

        var imported = Assert.Single(outcomes.OfType<ImportOutcome.Imported>());
        var existing = Assert.Single(outcomes.OfType<ImportOutcome.AlreadyImported>());
        Assert.Equal((imported.IssueId, 14), (existing.IssueId, existing.PaperCount));
        await using var scope = app.Services.CreateAsyncScope();
        Assert.Equal(1, await scope.ServiceProvider.GetRequiredService<PaperBot.Core.Data.PaperBotDbContext>().Issues.CountAsync());
    }

    [Fact]
    public async Task AnImportAsksArxivOnceForAllItsPapersAndStoresAuthorsTitleAbstractCategoryAndDate()
    {
        await using var arxiv = await FakeArxiv.StartAsync();
        using var app = App(arxiv);

        var imported = Assert.IsType<ImportOutcome.Imported>(await ImportAsync(app, Sample));

        Assert.False(imported.MetadataPending);
        var request = Assert.Single(arxiv.Requests);
        Assert.Equal(14, request.IdList.Split(',').Length);
        Assert.StartsWith("2404.07839,2404.07413,2404.07616", request.IdList);
        await PublishAsync(app, imported.IssueId);
        using var client = app.CreateClient();
        var issue = await client.GetFromJsonAsync<JsonElement>($"/api/issues/{imported.IssueId}");
        var jetMoe = issue.GetProperty("papers")[1];
        Assert.Equal("JetMoE: Reaching Llama2 Performance with 0.1M Dollars", jetMoe.GetProperty("englishTitle").GetString());
        Assert.Equal(["Yikang Shen", "Zhen Guo", "Tianle Cai", "Zengyi Qin"], jetMoe.GetProperty("authors").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal("cs.CL", jetMoe.GetProperty("primaryCategory").GetString());
        Assert.StartsWith("2024-04-11T00:52:39", jetMoe.GetProperty("published").GetString());
        Assert.StartsWith("Large Language Models (LLMs) have achieved remarkable results", jetMoe.GetProperty("abstract").GetString());
        // A paper arXiv did not return (the fixture has three of the fourteen) has no metadata, and is not asked about again.
        Assert.Equal(JsonValueKind.Null, issue.GetProperty("papers")[2].GetProperty("englishTitle").ValueKind);
    }

    [Fact]
    public async Task AnArxivOutageLeavesTheImportCompleteAndTheMetadataIsFilledInLater()
    {
        await using var arxiv = await FakeArxiv.StartAsync();
        arxiv.Down = true;
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero));
        // The request timeout runs on the injected clock too, which the test moves on while requests are out: at the
        // longest timeout a request has 30 of the test's steps to be answered, so only the outage fails one.
        using var app = App(arxiv, timeout: "00:05:00").WithService<TimeProvider>(clock);
        using var client = app.CreateClient();

        var imported = Assert.IsType<ImportOutcome.Imported>(await ImportAsync(app, Sample));

        Assert.True(imported.MetadataPending);
        Assert.Equal(14, await app.QueryAsync(db => db.Papers.CountAsync(p => p.IssueId == imported.IssueId)));
        Assert.Equal(0, await app.QueryAsync(db => db.Papers.CountAsync(p => p.EnglishTitle != null)));

        arxiv.Down = false;
        // The background fill backs off (1 minute after the first failure) on the injected clock, then asks again:
        // minutes after arXiv is back, not at the fill's hourly round.
        var waited = TimeSpan.Zero;
        var filled = await Eventually.HoldsAsync(async () =>
        {
            if (await app.QueryAsync(db => db.Papers.CountAsync(p => p.EnglishTitle != null)) == 3)
                return true;
            clock.Advance(TimeSpan.FromSeconds(10));
            waited += TimeSpan.FromSeconds(10);
            return false;
        }, TimeSpan.FromSeconds(30));

        Assert.True(filled, $"requests: {string.Join(" | ", arxiv.Requests.Select(r => r.IdList[..20]))}");
        Assert.True(waited <= TimeSpan.FromMinutes(5), $"filled after {waited} on the bot's clock");
        var reply = await client.PostAsJsonAsync("/api/chat", new { text = $"/paper 2 {imported.IssueId}" });
        Assert.True(reply.IsSuccessStatusCode);
    }

    [Fact]
    public async Task BibOfAPaperLinkedWithAnOldStyleIdAndItsSubjectClassAnswersTheEntryArxivGaveWithoutTheClass()
    {
        await using var arxiv = await FakeArxiv.StartAsync();
        // Shaped like arXiv's answer for an old-style paper: the entry's id is the archive and number, no subject class.
        arxiv.Answer = """
            <?xml version='1.0' encoding='UTF-8'?>
            <feed xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns="http://www.w3.org/2005/Atom">
              <id>https://arxiv.org/api/kq3Jc0m1vD2pXv6lJ5n0yq7Zb4E</id>
              <title>arXiv Query: search_query=&amp;id_list=math/0211159&amp;start=0&amp;max_results=14</title>
              <updated>2025-11-12T09:41:27Z</updated>
              <link href="https://arxiv.org/api/query?search_query=&amp;start=0&amp;max_results=14&amp;id_list=math/0211159" type="application/atom+xml"/>
              <opensearch:itemsPerPage>14</opensearch:itemsPerPage>
              <opensearch:totalResults>1</opensearch:totalResults>
              <opensearch:startIndex>0</opensearch:startIndex>
              <entry>
                <id>http://arxiv.org/abs/math/0211159v1</id>
                <title>The entropy formula for the Ricci flow and its geometric applications</title>
                <updated>2002-11-11T16:11:49Z</updated>
                <link href="https://arxiv.org/abs/math/0211159v1" rel="alternate" type="text/html"/>
                <link href="https://arxiv.org/pdf/math/0211159v1" rel="related" type="application/pdf" title="pdf"/>
                <summary>We present a monotonic expression for the Ricci flow, valid in all dimensions and
            without curvature assumptions. It is interpreted as an entropy for a certain canonical ensemble.</summary>
                <category term="math.DG" scheme="http://arxiv.org/schemas/atom"/>
                <category term="math.GT" scheme="http://arxiv.org/schemas/atom"/>
                <published>2002-11-11T16:11:49Z</published>
                <arxiv:comment>39 pages</arxiv:comment>
                <arxiv:primary_category term="math.DG"/>
                <author>
                  <name>Grisha Perelman</name>
                </author>
              </entry>
            </feed>
            """;
        using var app = App(arxiv);
        var digest = Sample.Replace("https://arxiv.org/abs/2404.07839", "https://arxiv.org/abs/math.DG/0211159", StringComparison.Ordinal);

        var imported = Assert.IsType<ImportOutcome.Imported>(await ImportAsync(app, digest));

        await PublishAsync(app, imported.IssueId);
        Assert.Equal(
            "@misc{perelman2002entropyformularicciflow,\n"
            + "      title={The entropy formula for the Ricci flow and its geometric applications}, \n"
            + "      author={Grisha Perelman},\n"
            + "      year={2002},\n"
            + "      eprint={math.DG/0211159},\n"
            + "      archivePrefix={arXiv},\n"
            + "      primaryClass={math.DG},\n"
            + "      url={https://arxiv.org/abs/math.DG/0211159}, \n"
            + "}",
            await ChatAsync(app, $"/bib 1 {imported.IssueId}"));
        // arXiv is asked in the same form: it knows old-style papers by archive and number only.
        Assert.StartsWith("math/0211159,2404.07413,", Assert.Single(arxiv.Requests).IdList);
    }

    [Fact]
    public async Task APaperLinkedWithAnIdArxivCannotHaveIssuedLeavesTheOtherPapersOfItsIssueTheirAuthors()
    {
        await using var arxiv = await FakeArxiv.StartAsync();
        arxiv.Refuses = new HashSet<string> { "2313.12345" };
        using var app = App(arxiv);
        var digest = Sample.Replace("https://arxiv.org/abs/2404.07616", "https://arxiv.org/abs/2313.12345", StringComparison.Ordinal);

        var imported = Assert.IsType<ImportOutcome.Imported>(await ImportAsync(app, digest));

        Assert.False(imported.MetadataPending);
        await PublishAsync(app, imported.IssueId);
        Assert.Contains("Yikang Shen, Zhen Guo, Tianle Cai 等", await ChatAsync(app, $"/paper 2 {imported.IssueId}"));
        Assert.DoesNotContain("2313.12345", Assert.Single(arxiv.Requests).IdList);
        Assert.Equal(0, await app.QueryAsync(db => db.Papers.CountAsync(p => p.ArxivId != null && p.ArxivCheckedAt == null)));
        Assert.Equal("第 3 篇没有 arXiv 链接,无法生成 BibTeX。", await ChatAsync(app, $"/bib 3 {imported.IssueId}"));
    }

    [Fact]
    public async Task AnIdArxivRefusesLeavesTheOtherPapersOfItsIssueTheirAuthorsAndIsNotAskedAgain()
    {
        await using var arxiv = await FakeArxiv.StartAsync();
        // Shaped like an old-style id, but arXiv has no such archive and answers "incorrect id format" for the whole query.
        arxiv.Refuses = new HashSet<string> { "quantum/0701001" };
        using var app = App(arxiv);
        var digest = Sample.Replace("https://arxiv.org/abs/2404.07616", "https://arxiv.org/abs/quantum/0701001", StringComparison.Ordinal);

        var imported = Assert.IsType<ImportOutcome.Imported>(await ImportAsync(app, digest));

        Assert.False(imported.MetadataPending);
        await PublishAsync(app, imported.IssueId);
        Assert.Contains("Yikang Shen, Zhen Guo, Tianle Cai 等", await ChatAsync(app, $"/paper 2 {imported.IssueId}"));
        Assert.Collection(arxiv.Requests.Select(r => r.IdList.Split(',')),
            first => Assert.Equal(["2404.07839", "2404.07413", "quantum/0701001"], first[..3]),
            again => Assert.Equal(["2404.07839", "2404.07413", "2404.07965"], again[..3]));
        Assert.Equal(0, await app.QueryAsync(db => db.Papers.CountAsync(p => p.ArxivId != null && p.ArxivCheckedAt == null)));
        Assert.Equal("arXiv 上查不到第 3 篇的编号 quantum/0701001(链接可能有误),无法生成 BibTeX。", await ChatAsync(app, $"/bib 3 {imported.IssueId}"));
    }

    [Fact]
    public async Task AnArxivTimeoutOfFiveMinutesIsNotCutShortAtHttpClientsHundredSeconds()
    {
        await using var arxiv = await FakeArxiv.StartAsync();
        using var app = App(arxiv, timeout: "00:05:00");

        // The client ArxivClient is given: Arxiv:Timeout, timed by ArxivClient itself, is the only limit on a request.
        var http = app.Services.GetRequiredService<IHttpClientFactory>().CreateClient(PaperBot.Core.Arxiv.ArxivClient.HttpClientName);

        Assert.Equal(Timeout.InfiniteTimeSpan, http.Timeout);
    }

    [Fact]
    public async Task RequestsFromConcurrentImportsArriveAtLeastThreeSecondsApart()
    {
        await using var arxiv = await FakeArxiv.StartAsync();
        using var app = App(arxiv);
        var digests = Enumerable.Range(1, 3).Select(n => Sample.Replace("本周值得关注的大模型", $"第 {n} 份:本周值得关注的大模型", StringComparison.Ordinal)
            .Replace("  1. 超越 Transformer:Google DeepMind 提出高效开放语言模型", $"  1. 超越 Transformer:Google DeepMind 提出高效开放语言模型 {n}", StringComparison.Ordinal)
            .Replace("1.超越 Transformer:\nGoogle DeepMind 提出高效开放语言模型", $"1.超越 Transformer:\nGoogle DeepMind 提出高效开放语言模型 {n}", StringComparison.Ordinal)).ToList();

        var outcomes = await Task.WhenAll(digests.Select(d => ImportAsync(app, d)));

        Assert.All(outcomes, o => Assert.IsType<ImportOutcome.Imported>(o));
        var arrivals = arxiv.Requests.Select(r => r.At).Order().ToList();
        // The first import asks about all fourteen papers; the others find the metadata already stored or ask once each.
        Assert.InRange(arrivals.Count, 1, 3);
        var window = TimeSpan.FromSeconds(2.9);
        var crowded = arrivals.Select(start => arrivals.Count(a => a >= start && a < start + window)).Max();
        Assert.True(crowded == 1, $"arrivals (s): {string.Join(", ", arrivals.Select(a => a.TotalSeconds.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture)))}");
    }
}
