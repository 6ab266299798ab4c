using PaperBot.Core.Digests;
using PaperBot.TestServices;

namespace PaperBot.Core.Tests.Digests;

public sealed class MarkdownDigestTests
{
    private static Digest Parse(string markdown)
    {
        var result = DigestParser.Parse(markdown, DigestFormat.Markdown);
        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        return result.Digest!;
    }

    private static DigestPaper OnlyPaper(string section) => Assert.Single(Parse($"# 周报\n\n{section}\n").Papers);

    /// <summary>The Markdown sample spells paper 9 as the contents do; the text's section has a space before CoVoMix.</summary>
    private static string? MarkdownTitle(int number) => number == 9 ? "微软、上交大推出CoVoMix:实现多个对话者的多轮对话" : null;

    public static TheoryData<int> Numbers => SampleAssert.Numbers;

    [Fact]
    public void SampleInMarkdownHasTheTitleIntroAndFourteenPapersOfTheText()
    {
        var digest = Parse(TestFiles.SampleMarkdown);

        Assert.Equal("本周值得关注的大模型 / AIGC 前沿研究", digest.Title);
        Assert.Equal("本周值得关注的大模型 / AIGC 前沿研究:", digest.Intro);
        Assert.Equal(Enumerable.Range(1, 14), digest.Papers.Select(p => p.Number));
    }

    [Theory]
    [MemberData(nameof(Numbers))]
    public void EachPaperOfTheMarkdownSampleIsReadAsWritten(int number)
    {
        var paper = Parse(TestFiles.SampleMarkdown).Papers.Single(p => p.Number == number);

        SampleAssert.PaperAsWritten(SampleDigest.Paper(number), paper, MarkdownTitle(number));
    }

    [Theory]
    [InlineData("## 1. Rho-1:不是所有 token 都是你需要的")]
    [InlineData("### 1. Rho-1:不是所有 token 都是你需要的")]
    [InlineData("## 1、Rho-1:不是所有 token 都是你需要的")]
    [InlineData("## 1\uFF0ERho-1:不是所有 token 都是你需要的")]
    [InlineData("## 1.Rho-1:不是所有 token 都是你需要的")]
    [InlineData("## 1. Rho-1:不是所有 token 都是你需要的 ##")]
    [InlineData("## １．Rho-1:不是所有 token 都是你需要的")]
    public void SectionHeadingsMayUseTwoOrThreeHashesAndADotOrComma(string heading)
    {
        var digest = Parse($"# 周报\n\n1. Rho-1:不是所有 token 都是你需要的\n\n{heading}\n\n摘要。\n");

        var paper = Assert.Single(digest.Papers);
        Assert.Equal(1, paper.Number);
        Assert.Equal("Rho-1:不是所有 token 都是你需要的", paper.Title);
    }

    [Theory]
    [InlineData("- [论文](https://arxiv.org/abs/1) · [代码](https://github.com/a/b)", "https://arxiv.org/abs/1", "https://github.com/a/b", null)]
    [InlineData("[Paper](https://arxiv.org/abs/1) | [Code](https://github.com/a/b) | [Project](https://p.org/)", "https://arxiv.org/abs/1", "https://github.com/a/b", "https://p.org/")]
    [InlineData("[论文链接](https://arxiv.org/abs/1)\n[GitHub](https://github.com/a/b)\n[项目主页](https://p.org/)", "https://arxiv.org/abs/1", "https://github.com/a/b", "https://p.org/")]
    [InlineData("* [项目](https://p.org/)", null, null, "https://p.org/")]
    [InlineData("- [论文](https://arxiv.org/abs/1)\n- [Demo](https://demo.org/)", "https://arxiv.org/abs/1", null, null)]
    [InlineData("论文链接: https://arxiv.org/abs/1\nGithub 地址:\nhttps://github.com/a/b", "https://arxiv.org/abs/1", "https://github.com/a/b", null)]
    [InlineData("论文链接: [arXiv](https://arxiv.org/abs/1)", "https://arxiv.org/abs/1", null, null)]
    [InlineData("", null, null, null)]
    public void LinksAreReadFromLinkLines(string links, string? paper, string? code, string? project)
    {
        var section = OnlyPaper($"## 1. 标题\n\n摘要。\n\n{links}");

        Assert.Equal(new PaperLinks(paper, code, project), section.Links);
        Assert.Equal("摘要。", section.Summary);
    }

    [Fact]
    public void AnInlineLinkInASentenceStaysInTheSummary()
    {
        var paper = OnlyPaper("## 1. 标题\n\n基于 [Mamba](https://github.com/state-spaces/mamba) 的[论文](https://x.org/)模型。\n\n- [论文](https://arxiv.org/abs/1)");

        Assert.Equal("基于 [Mamba](https://github.com/state-spaces/mamba) 的[论文](https://x.org/)模型。", paper.Summary);
        Assert.Equal("https://arxiv.org/abs/1", paper.Links.Paper);
    }

    [Fact]
    public void FooterRulesAndOtherHeadingsAreNotPartOfTheSummary()
    {
        var digest = Parse("# 周报\n\n## 1. 一\n\n第一段。\n\n---\n\n第二段。\n\n- [论文](https://arxiv.org/abs/1)\n\n## 2. 二\n\n摘要。\n\n## 往期回顾\n\n旧文章。\n\n|点击关注我 👇 记得标星|\n");

        Assert.Equal(["第一段。\n\n第二段。", "摘要。"], digest.Papers.Select(p => p.Summary));
    }

    [Theory]
    [InlineData("# AI 周报 第 15 期\n\n本周值得关注:\n\n## 1. 标题\n\n摘要。", "AI 周报 第 15 期", "本周值得关注:")]
    [InlineData("本周值得关注:\n\n## 1. 标题\n\n摘要。", "本周值得关注", "本周值得关注:")]
    [InlineData("## 1. 标题\n\n摘要。", "AI 论文周报", "")]
    public void TitleComesFromTheFirstHeadingOrElseTheIntro(string markdown, string title, string intro)
    {
        var digest = Parse(markdown);

        Assert.Equal(title, digest.Title);
        Assert.Equal(intro, digest.Intro);
    }

    [Theory]
    [InlineData("1. [第一篇](#1-第一篇)\n2. [第二篇](#2-第二篇)")]
    [InlineData("- 1. 第一篇\n- 2. 第二篇")]
    [InlineData("1. 第一篇\n\n2. 第二篇")]
    [InlineData("## 目录\n\n1、第一篇\n2、第二篇")]
    public void ContentsListVariantsAreRecognised(string contents)
    {
        var markdown = $"# 周报\n\n导语。\n\n{contents}\n\n## 1. 第一篇\n\n摘要一。\n\n## 2. 第二篇\n\n摘要二。\n";

        var digest = Parse(markdown);

        Assert.Equal("导语。", digest.Intro);
        Assert.Equal(["第一篇", "第二篇"], digest.Papers.Select(p => p.Title));
    }

    public static TheoryData<string, string, int, string> Errors => new()
    {
        { "title differs from the contents", "# 周报\n\n1. 第一篇\n\n## 1. 第1篇\n\n摘要。", 5, "section 1 title '第1篇' does not match table of contents entry 1 '第一篇'" },
        { "contents longer than the sections", "# 周报\n\n1. 第一篇\n2. 第二篇\n\n## 1. 第一篇\n\n摘要。", 4, "table of contents lists 2 papers but section 1 was found" },
        { "a gap", "# 周报\n\n## 1. 一\n\n摘要。\n\n## 3. 三\n\n摘要。", 7, "section 3 follows section 1; section 2 is missing" },
        { "no summary", "# 周报\n\n## 1. 一\n\n- [论文](https://arxiv.org/abs/1)", 3, "section 1 has no summary" },
        { "an empty link", "# 周报\n\n## 1. 一\n\n摘要。\n\n- [论文]() · [代码](https://github.com/a/b)", 7, "link label '论文' has no URL" },
        { "a non-http link", "# 周报\n\n## 1. 一\n\n摘要。\n\n- [代码](ftp://example.org/code)", 7, "link label '代码' has 'ftp://example.org/code', which is not an http(s) URL" },
        { "a text label without URL", "# 周报\n\n## 1. 一\n\n摘要。\n\n论文链接:", 7, "link label '论文链接' has no URL" },
        { "no sections", "# 周报\n\n只有导语。", 0, "no sections were found; expected headings such as '## 1. Title'" },
    };

    [Theory]
    [MemberData(nameof(Errors))]
    public void ProblemsAreReportedWithTheirLines(string problem, string markdown, int line, string message)
    {
        var result = DigestParser.Parse(markdown, DigestFormat.Markdown);

        Assert.False(result.Succeeded, problem);
        Assert.Contains(new DigestError(line, message), result.Errors);
    }

    [Fact]
    public void CrlfAndAByteOrderMarkAreHandled()
    {
        var windows = "\uFEFF" + TestFiles.SampleMarkdown.Replace("\n", "\r\n", StringComparison.Ordinal);

        var result = DigestParser.Parse(windows);

        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        SampleAssert.DigestAsWritten(result.Digest!, MarkdownTitle);
    }
}
