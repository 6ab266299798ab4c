using Microsoft.EntityFrameworkCore;
using PaperBot.Core.Data;
using PaperBot.Core.Issues;
using PaperBot.Core.Subscribers;

namespace PaperBot.Core.Tests.Topics;

/// <summary>Editors correct a paper's topics and it sticks: /tag, re-imports, re-tagging, and the tagger learns.</summary>
public class CorrectionTests : StorageTests
{
    private static Task<ImportOutcome> ImportAsync(CoreHarness harness, string content) =>
        harness.UseAsync<IssueImporter, ImportOutcome>(i => i.ImportAsync(content, null, "test", CancellationToken.None));

    private static Task<List<string>> TopicsAsync(CoreHarness harness, int issueId, int number) =>
        harness.QueryAsync(db => db.PaperTopics.Where(t => db.Papers.Any(p => p.Id == t.PaperId && p.IssueId == issueId && p.Number == number))
            .Select(t => t.Topic).OrderBy(t => t).ToListAsync());

    /// <summary>The sample with the first paper's title reworded: a corrected digest, so a new content hash.</summary>
    private static string CorrectedSample => TestFiles.SampleText
        .Replace("  1. 超越 Transformer:Google DeepMind 提出高效开放语言模型", "  1. 超越 Transformer:DeepMind 的高效开放语言模型 RecurrentGemma", StringComparison.Ordinal)
        .Replace("1.超越 Transformer:\nGoogle DeepMind 提出高效开放语言模型", "1.超越 Transformer:\nDeepMind 的高效开放语言模型 RecurrentGemma", StringComparison.Ordinal);

    [SkippableFact]
    public async Task TagIsRefusedToNonAdminsAndChangesNothing()
    {
        await using var harness = await StartAsync();
        var before = await TopicsAsync(harness, 1, 4);

        var reply = await harness.SendAsync("/tag 4 +agents -data-efficiency", user: "100");
        var wechat = await harness.SendAsync("标签 4 +agents", user: "oUser", channel: Channel.WeChat);

        Assert.Equal("这个命令只对管理员开放。", reply.ToPlainText());
        Assert.Equal("这个命令只对管理员开放。", wechat.ToPlainText());
        Assert.Equal(before, await TopicsAsync(harness, 1, 4));
        Assert.False(await harness.QueryAsync(db => db.AuditLog.AnyAsync(e => e.Action == "topics")));
    }

    [SkippableFact]
    public async Task AnAdminsTagAddsAndRemovesTopicsAndIsInTheAuditLog()
    {
        await using var harness = await StartAsync();

        var reply = await harness.SendAsync("/tag 4 +agents -data-efficiency", user: CoreHarness.AdminId, language: "en");

        Assert.StartsWith("Issue 1 paper 4 topics: ", reply.ToPlainText());
        var topics = await TopicsAsync(harness, 1, 4);
        Assert.Contains("agents", topics);
        Assert.DoesNotContain("data-efficiency", topics);
        var audit = await harness.QueryAsync(db => db.AuditLog.SingleAsync(e => e.Action == "topics"));
        Assert.Equal($"telegram:{CoreHarness.AdminId}", audit.Actor);
        Assert.StartsWith("issue 1 paper 4: ", audit.Detail);
        Assert.Contains("agents", audit.Detail);
    }

    [SkippableTheory]
    [InlineData("/tag 4 +data-efficiency", "en", "Issue 1 paper 4 already has these topics: ")]
    [InlineData("/tag 4 -agents", "zh", "第 1 期第 4 篇的话题已经是:")]
    [InlineData("标签 4 +data-efficiency -agents", "zh", "第 1 期第 4 篇的话题已经是:")]
    public async Task ATagThatChangesNothingSaysSoAndMarksNothing(string command, string language, string start)
    {
        await using var harness = await StartAsync();
        var before = await TopicsAsync(harness, 1, 4);
        Assert.Contains("data-efficiency", before);
        Assert.DoesNotContain("agents", before);

        var reply = await harness.SendAsync(command, user: CoreHarness.AdminId, language: language);

        Assert.StartsWith(start, reply.ToPlainText());
        Assert.EndsWith(language == "en" ? "Nothing changed." : "没有改动。", reply.ToPlainText());
        Assert.Equal(before, await TopicsAsync(harness, 1, 4));
        Assert.False(await harness.QueryAsync(db => db.Papers.AnyAsync(p => p.TopicsCorrectedAt != null || p.TopicsCorrectedBy != null)));
        Assert.False(await harness.QueryAsync(db => db.AuditLog.AnyAsync(e => e.Action == "topics")));
    }

    [SkippableTheory]
    [InlineData("/tag 4 +nonsense", "There is no topic “nonsense”.")]
    [InlineData("/tag 99 +agents", "Issue 1 has papers 1–14; there is no paper 99.")]
    [InlineData("/tag 4 5 +agents", "There is no issue 5.")]
    [InlineData("/tag 4", "Usage: /tag N [ISSUE] +TOPIC -TOPIC")]
    [InlineData("/tag agents", "Usage: /tag N [ISSUE] +TOPIC -TOPIC")]
    public async Task ABadTagSaysWhatWouldWorkAndChangesNothing(string command, string start)
    {
        await using var harness = await StartAsync();

        var reply = await harness.SendAsync(command, user: CoreHarness.AdminId, language: "en");

        Assert.StartsWith(start, reply.ToPlainText());
        Assert.False(await harness.QueryAsync(db => db.Papers.AnyAsync(p => p.TopicsCorrectedAt != null)));
    }

    [SkippableFact]
    public async Task ACorrectionSurvivesImportingACorrectedDigestWithTheSamePaper()
    {
        await using var harness = await StartAsync();
        await harness.SendAsync("/tag 4 +agents -data-efficiency", user: CoreHarness.AdminId);

        var imported = Assert.IsType<ImportOutcome.Imported>(await ImportAsync(harness, CorrectedSample));

        Assert.Equal(2, imported.IssueId);
        var topics = await TopicsAsync(harness, 2, 4);
        Assert.Contains("agents", topics);
        Assert.DoesNotContain("data-efficiency", topics);
        Assert.True(await harness.QueryAsync(db => db.Papers.AnyAsync(p => p.IssueId == 2 && p.Number == 4 && p.TopicsCorrectedAt != null)));
    }

    [SkippableFact]
    public async Task APaperWithoutAnArxivLinkIsRecognisedByItsNormalisedTitle()
    {
        await using var harness = await StartAsync(publishSample: false);
        const string digest = """
            本周论文

              1. 一篇没有 arXiv 链接的论文:机器人学会叠衣服

            1.一篇没有 arXiv 链接的论文:机器人学会叠衣服

            研究者让机器人学会了叠衣服。

            项目地址:
            https://example.org/folding
            """;
        Assert.IsType<ImportOutcome.Imported>(await ImportAsync(harness, digest));
        await harness.SendAsync("/tag 1 1 +benchmarks", user: CoreHarness.AdminId);

        var again = digest.Replace("一篇没有 arXiv 链接的论文:机器人学会叠衣服", "一篇没有arXiv链接的论文——机器人学会叠衣服!", StringComparison.Ordinal);
        var imported = Assert.IsType<ImportOutcome.Imported>(await ImportAsync(harness, again));

        Assert.Contains("benchmarks", await TopicsAsync(harness, imported.IssueId, 1));
    }

    [SkippableFact]
    public async Task RetaggingAnIssueKeepsTheCorrectedPapers()
    {
        await using var harness = await StartAsync();
        await harness.SendAsync("/tag 4 +agents", user: CoreHarness.AdminId);
        var corrected = await TopicsAsync(harness, 1, 4);

        await harness.UseAsync<PaperTopicsEditor, int?>(e => e.RetagAsync(1, "test", CancellationToken.None));

        Assert.Equal(corrected, await TopicsAsync(harness, 1, 4));
        Assert.Contains("agents", corrected);
    }

    [SkippableFact]
    public async Task TheTaggerLearnsFromACorrection()
    {
        await using var harness = await StartAsync();
        var summary = (await harness.QueryAsync(db => db.Papers.SingleAsync(p => p.IssueId == 1 && p.Number == 10))).Summary;
        string Digest(string title) => $"本周论文\n\n  1. {title}\n\n1.{title}\n\n{summary}\n";

        var before = Assert.IsType<ImportOutcome.Imported>(await ImportAsync(harness, Digest("循环网络也能被看懂吗")));
        Assert.DoesNotContain("embodied", await TopicsAsync(harness, before.IssueId, 1));

        await harness.SendAsync("/tag 10 1 +embodied", user: CoreHarness.AdminId);
        var after = Assert.IsType<ImportOutcome.Imported>(await ImportAsync(harness, Digest("RNN 里的可解释性")));

        Assert.Contains("embodied", await TopicsAsync(harness, after.IssueId, 1));
    }
}

public sealed class CorrectionTestsOnPostgres : CorrectionTests
{
    protected override string Provider => StorageOptions.Postgres;
}
