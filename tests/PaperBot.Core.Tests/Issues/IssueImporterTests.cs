using Microsoft.EntityFrameworkCore;
using PaperBot.Core.Data;
using PaperBot.Core.Digests;
using PaperBot.Core.Issues;
using PaperBot.TestServices;

namespace PaperBot.Core.Tests.Issues;

public class IssueImporterTests : StorageTests
{
    private static Task<ImportOutcome> ImportAsync(CoreHarness harness, string content, DigestFormat? format = null) =>
        harness.UseAsync<IssueImporter, ImportOutcome>(i => i.ImportAsync(content, format, "test", CancellationToken.None));

    [SkippableFact]
    public async Task ImportStoresTheSampleAsADraftWithTaggedPapers()
    {
        await using var harness = await StartAsync(publishSample: false);
        var imported = Assert.IsType<ImportOutcome.Imported>(await ImportAsync(harness, TestFiles.SampleText));

        Assert.Equal(14, imported.PaperCount);
        var issue = await harness.QueryAsync(db => db.Issues.Include(i => i.Papers).ThenInclude(p => p.Topics).SingleAsync());
        Assert.Equal(IssueStatus.Draft, issue.Status);
        Assert.Equal("本周值得关注的大模型 / AIGC 前沿研究", issue.Title);
        Assert.Equal(SampleDigest.Rows, issue.Papers.OrderBy(p => p.Number).Select(p => SampleDigest.Row(p.Number, p.Title, p.ArxivId, p.PaperUrl, p.CodeUrl, p.ProjectUrl)));
        Assert.Contains(issue.Papers.Single(p => p.Number == 7).Topics, t => t.Topic == "long-context");
    }

    [SkippableTheory]
    [InlineData(DigestFormat.Text)]
    [InlineData(DigestFormat.Markdown)]
    [InlineData(DigestFormat.Json)]
    public async Task ImportingTheSameDigestAgainFindsTheFirstIssue(DigestFormat secondFormat)
    {
        await using var harness = await StartAsync(publishSample: false);
        var first = Assert.IsType<ImportOutcome.Imported>(await ImportAsync(harness, TestFiles.SampleText));
        var again = secondFormat switch
        {
            DigestFormat.Markdown => TestFiles.SampleMarkdown,
            DigestFormat.Json => TestFiles.SampleJson,
            _ => TestFiles.SampleText,
        };

        var second = Assert.IsType<ImportOutcome.AlreadyImported>(await ImportAsync(harness, again, secondFormat));

        Assert.Equal(first.IssueId, second.IssueId);
        Assert.Equal(1, await harness.QueryAsync(db => db.Issues.CountAsync()));
    }

    [SkippableFact]
    public async Task ABrokenDigestImportsNothingAndNamesTheLine()
    {
        await using var harness = await StartAsync(publishSample: false);
        var broken = TestFiles.SampleText.Replace("5.UC 伯克利提出 LLoCO:离线学习长上下文", "5.UC 伯克利提出 LLoCO:在线学习", StringComparison.Ordinal);

        var invalid = Assert.IsType<ImportOutcome.Invalid>(await ImportAsync(harness, broken));

        Assert.Contains(invalid.Errors, e => e.Line > 0);
        Assert.Equal(0, await harness.QueryAsync(db => db.Issues.CountAsync()));
        Assert.Equal(0, await harness.QueryAsync(db => db.Papers.CountAsync()));
    }

    [SkippableFact]
    public async Task JsonTopicsAreKeptAndUnknownOnesRefused()
    {
        await using var harness = await StartAsync(publishSample: false);
        const string json = """{"title": "T", "papers": [{"number": 1, "title": "A", "summary": "S", "links": {"paper": null, "code": null, "project": null}, "topics": ["moe"]}]}""";
        Assert.IsType<ImportOutcome.Imported>(await ImportAsync(harness, json));
        Assert.Equal(["moe"], await harness.QueryAsync(db => db.PaperTopics.Select(t => t.Topic).ToListAsync()));

        var unknown = Assert.IsType<ImportOutcome.Invalid>(await ImportAsync(harness, json.Replace("moe", "astrology", StringComparison.Ordinal).Replace("\"A\"", "\"B\"", StringComparison.Ordinal)));
        Assert.Contains("astrology", unknown.Errors[0].Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task AnAdminCanCorrectAPapersTopics()
    {
        await using var harness = await StartAsync();
        var changed = await harness.UseAsync<PaperTopicsEditor, TopicEditOutcome>(e => e.SetAsync(1, 4, ["data-efficiency", "长上下文"], "cli", CancellationToken.None));

        Assert.Equal(["long-context", "data-efficiency"], Assert.IsType<TopicEditOutcome.Changed>(changed).Topics);
        Assert.Equal(["data-efficiency", "long-context"], await harness.QueryAsync(db =>
            db.PaperTopics.Where(t => t.PaperId == db.Papers.Single(p => p.IssueId == 1 && p.Number == 4).Id).Select(t => t.Topic).OrderBy(t => t).ToListAsync()));

        Assert.IsType<TopicEditOutcome.UnknownTopics>(await harness.UseAsync<PaperTopicsEditor, TopicEditOutcome>(e => e.SetAsync(1, 4, ["nope"], "cli", CancellationToken.None)));
        Assert.IsType<TopicEditOutcome.PaperMissing>(await harness.UseAsync<PaperTopicsEditor, TopicEditOutcome>(e => e.SetAsync(1, 40, ["moe"], "cli", CancellationToken.None)));
    }
}

public sealed class IssueImporterTestsOnPostgres : IssueImporterTests
{
    protected override string Provider => StorageOptions.Postgres;
}
