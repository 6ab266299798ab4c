using PaperBot.Core.Digests;

namespace PaperBot.Core.Tests.Digests;

public sealed class ContentHashTests
{
    private static Digest Sample => DigestParser.Parse(TestFiles.SampleText).Digest!;

    private static Digest WithPaper(Digest digest, int index, Func<DigestPaper, DigestPaper> change) =>
        digest with { Papers = [.. digest.Papers.Select((p, i) => i == index ? change(p) : p)] };

    [Fact]
    public void HashIsSixtyFourLowerCaseHexDigits()
    {
        Assert.Matches("^[0-9a-f]{64}$", Sample.ContentHash);
    }

    [Fact]
    public void SampleHasTheSameHashInTextMarkdownAndJson()
    {
        var markdown = DigestParser.Parse(TestFiles.SampleMarkdown).Digest!;
        var json = DigestParser.Parse(TestFiles.SampleJson).Digest!;

        // The Markdown sample spells paper 9 as the contents do ("推出CoVoMix"), the text section as "推出 CoVoMix".
        Assert.NotEqual(Sample.Papers[8].Title, markdown.Papers[8].Title);
        Assert.Equal(Sample.ContentHash, markdown.ContentHash);
        Assert.Equal(Sample.ContentHash, json.ContentHash);
    }

    [Theory]
    [InlineData("超越Transformer:Google DeepMind提出高效开放语言模型")]
    [InlineData("  超越 Transformer:Google  DeepMind 提出高效开放语言模型 ")]
    [InlineData("超越 Transformer\uFF1AGoogle DeepMind 提出高效开放语言模型")]
    [InlineData("超越\u00A0Transformer:Google\u3000DeepMind 提出高效开放语言模型")]
    public void WhitespaceAndWidthInTitlesDoNotChangeTheHash(string title)
    {
        Assert.Equal(Sample.ContentHash, WithPaper(Sample, 0, p => p with { Title = title }).ContentHash);
    }

    [Fact]
    public void SummaryAndIntroDoNotChangeTheHash()
    {
        var reworded = WithPaper(Sample, 3, p => p with { Summary = "改写过的摘要。" }) with { Intro = "新的导语", Title = "新标题" };

        Assert.Equal(Sample.ContentHash, reworded.ContentHash);
    }

    public static TheoryData<string> Changes => ["title", "number", "paper link", "code link", "project link", "order"];

    [Theory]
    [MemberData(nameof(Changes))]
    public void ChangingANumberTitleLinkOrOrderChangesTheHash(string change)
    {
        var changed = change switch
        {
            "title" => WithPaper(Sample, 3, p => p with { Title = "微软、厦大、清华提出 Rho-2:不是所有 token 都是你需要的" }),
            "number" => WithPaper(Sample, 13, p => p with { Number = 15 }),
            "paper link" => WithPaper(Sample, 3, p => p with { Links = p.Links with { Paper = "https://arxiv.org/abs/2404.07966" } }),
            "code link" => WithPaper(Sample, 0, p => p with { Links = p.Links with { Code = "https://github.com/google-deepmind/recurrentgemma" } }),
            "project link" => WithPaper(Sample, 5, p => p with { Links = p.Links with { Project = null } }),
            _ => Sample with { Papers = [.. Sample.Papers.Reverse()] },
        };

        Assert.NotEqual(Sample.ContentHash, changed.ContentHash);
    }

    [Fact]
    public void ATitleChangedInTheTextFileChangesTheHash()
    {
        var edited = TestFiles.SampleText
            .Replace("  13. Concept Weaver:在文本到图像模型中实现多概念融合", "  13. Concept Weaver:多概念融合", StringComparison.Ordinal)
            .Replace("13.Concept Weaver:\n在文本到图像模型中实现多概念融合", "13.Concept Weaver:\n多概念融合", StringComparison.Ordinal);

        var result = DigestParser.Parse(edited);

        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        Assert.NotEqual(Sample.ContentHash, result.Digest!.ContentHash);
    }
}
