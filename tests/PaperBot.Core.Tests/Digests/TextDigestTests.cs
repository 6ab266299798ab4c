using PaperBot.Core.Digests;

namespace PaperBot.Core.Tests.Digests;

public sealed class TextDigestTests
{
    private static Digest Parse(string text)
    {
        var result = DigestParser.Parse(text, DigestFormat.Text);
        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        Assert.Empty(result.Errors);
        return result.Digest!;
    }

    private static DigestPaper OnlyPaper(string text) => Assert.Single(Parse(text).Papers);

    private static string Section(string header, string body = "摘要。", string links = "论文链接:\nhttps://arxiv.org/abs/2404.00001") =>
        $"周报:\n\n{header}\n\n{body}\n\n{links}\n";

    [Theory]
    [InlineData("1.超越 Transformer:\nGoogle DeepMind 提出高效开放语言模型", "超越 Transformer:Google DeepMind 提出高效开放语言模型")]
    [InlineData("1.微软提出 Rho-1:\n不是所有 token 都是你需要的", "微软提出 Rho-1:不是所有 token 都是你需要的")]
    [InlineData("1.让视觉语言\n模型不再视而不见", "让视觉语言模型不再视而不见")]
    [InlineData("1.Scaling laws for\nsparse models", "Scaling laws for sparse models")]
    [InlineData("1.Llama 3\n8B 的训练细节", "Llama 3 8B 的训练细节")]
    [InlineData("1.A study\nof long\ncontext", "A study of long context")]
    [InlineData("1.  两端有空格的标题  \n  第二行  ", "两端有空格的标题第二行")]
    public void SectionTitleContinuesOnTheNextLine(string header, string title)
    {
        Assert.Equal(title, OnlyPaper(Section(header)).Title);
    }

    [Theory]
    [InlineData("1.标题")]
    [InlineData("1. 标题")]
    [InlineData("1、标题")]
    [InlineData("1 、 标题")]
    [InlineData("1\uFF0E标题")]
    [InlineData("  1. 标题")]
    [InlineData("１．标题")] // full-width digit and dot
    [InlineData("１、标题")]
    public void SectionNumberMayBeFollowedByADotOrAnIdeographicComma(string header)
    {
        var paper = OnlyPaper(Section(header));

        Assert.Equal(1, paper.Number);
        Assert.Equal("标题", paper.Title);
    }

    public static TheoryData<string, string> LabelSpellings => new()
    {
        { "论文链接", "paper" },
        { "论文 链接", "paper" },
        { "论文地址", "paper" },
        { "论文 地址", "paper" },
        { "Github 地址", "code" },
        { "GitHub 地址", "code" },
        { "github地址", "code" },
        { "Github 链接", "code" },
        { "代码地址", "code" },
        { "代码 地址", "code" },
        { "项目地址", "project" },
        { "项目 地址", "project" },
        { "项目主页", "project" },
        { "项目链接", "project" },
    };

    public static TheoryData<string, string, string> LabelsColonsAndPlacements()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var row in LabelSpellings)
        {
            var (label, kind) = ((string)row[0], (string)row[1]);
            data.Add($"{label}:\nhttps://example.org/x", kind, "half-width colon, URL on the next line");
            data.Add($"{label}\uFF1A\nhttps://example.org/x", kind, "full-width colon, URL on the next line");
            data.Add($"{label}: https://example.org/x", kind, "half-width colon, URL on the same line");
            data.Add($"{label}\uFF1Ahttps://example.org/x", kind, "full-width colon, URL on the same line");
            data.Add($"{label}:\n\n\nhttps://example.org/x", kind, "URL after blank lines");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(LabelsColonsAndPlacements))]
    public void EveryLabelSpellingColonAndUrlPlacementIsRead(string links, string kind, string variant)
    {
        var paper = OnlyPaper(Section("1.标题", links: links));

        var expected = kind switch
        {
            "paper" => new PaperLinks("https://example.org/x", null, null),
            "code" => new PaperLinks(null, "https://example.org/x", null),
            _ => new PaperLinks(null, null, "https://example.org/x"),
        };
        Assert.True(expected == paper.Links, $"{variant}: got {paper.Links}");
        Assert.Equal("摘要。", paper.Summary);
    }

    [Theory]
    [InlineData("", null, null, null)]
    [InlineData("Github 地址:\nhttps://github.com/a/b", null, "https://github.com/a/b", null)]
    [InlineData("项目主页:\nhttps://a.github.io/", null, null, "https://a.github.io/")]
    [InlineData("论文链接:\nhttps://arxiv.org/abs/2404.1\n项目地址:\nhttps://p.org/", "https://arxiv.org/abs/2404.1", null, "https://p.org/")]
    [InlineData("项目地址:\nhttps://p.org/\nGithub 地址:\nhttps://github.com/a/b\n论文链接:\nhttps://arxiv.org/abs/1", "https://arxiv.org/abs/1", "https://github.com/a/b", "https://p.org/")]
    public void MissingLinksAreNull(string links, string? paper, string? code, string? project)
    {
        Assert.Equal(new PaperLinks(paper, code, project), OnlyPaper(Section("1.标题", links: links)).Links);
    }

    [Theory]
    [InlineData("论文链接:\nhttps://arxiv.org/abs/1\n\n|点击关注我 👇 记得标星|")]
    [InlineData("论文链接:\nhttps://arxiv.org/abs/1\n\n点击关注我,记得标星\n\n往期推荐")]
    [InlineData("论文链接:\nhttps://arxiv.org/abs/1\n|点击关注我|\n更多内容见公众号")]
    [InlineData("|点击关注我 👇 记得标星|")]
    public void FooterAndTextAfterTheLinksAreDropped(string links)
    {
        var paper = OnlyPaper(Section("1.标题", "第一段。\n\n第二段。", links));

        Assert.Equal("第一段。\n\n第二段。", paper.Summary);
    }

    [Fact]
    public void SummaryLinesAreTrimmedAndWrappedLinesJoined()
    {
        var paper = OnlyPaper(Section("1.标题", "  第一段的第一行,\n第一段的第二行。  \n\n\n\nThe second paragraph\nwraps here.\n\n他们的贡献:\n1. 第一点\n2. 第二点"));

        Assert.Equal("第一段的第一行,第一段的第二行。\n\nThe second paragraph wraps here.\n\n他们的贡献:\n1. 第一点\n2. 第二点", paper.Summary);
    }

    [Fact]
    public void ADecimalAtTheStartOfAParagraphIsNotASection()
    {
        var paper = OnlyPaper(Section("1.标题", "第一段。\n\n2.5 倍的加速来自稀疏激活。"));

        Assert.Equal("第一段。\n\n2.5 倍的加速来自稀疏激活。", paper.Summary);
    }

    [Fact]
    public void SectionsWithoutATableOfContentsAreFine()
    {
        var digest = Parse("本周论文:\n\n1.第一篇\n\n摘要一。\n\n论文链接:\nhttps://arxiv.org/abs/1\n\n2.第二篇\n\n摘要二。\n");

        Assert.Equal(["第一篇", "第二篇"], digest.Papers.Select(p => p.Title));
        Assert.Equal("本周论文", digest.Title);
        Assert.Null(digest.Papers[1].Links.Paper);
    }

    [Fact]
    public void ASectionMayFollowTheLinksOfThePreviousOneWithoutABlankLine()
    {
        var digest = Parse("1.第一篇\n\n摘要一。\n\n论文链接:\nhttps://arxiv.org/abs/1\n2.第二篇\n\n摘要二。\n");

        Assert.Equal(["第一篇", "第二篇"], digest.Papers.Select(p => p.Title));
    }

    [Fact]
    public void ATableOfContentsWithOneEntryIsRecognised()
    {
        var digest = Parse("周报:\n\n  1. 唯一一篇\n\n1.唯一一篇\n\n摘要。\n");

        Assert.Equal("唯一一篇", Assert.Single(digest.Papers).Title);
        Assert.Equal("周报:", digest.Intro);
    }

    [Fact]
    public void ContentsAndSectionTitlesMayDifferInWhitespaceAndWidth()
    {
        var digest = Parse("周报:\n\n  1. 微软推出CoVoMix:多轮对话\n\n1.微软推出 CoVoMix\uFF1A\n多轮 对话\n\n摘要。\n");

        Assert.Equal("微软推出 CoVoMix\uFF1A多轮 对话", Assert.Single(digest.Papers).Title);
    }

    [Theory]
    [InlineData("1.标题\n\n摘要。\n", "AI 论文周报", "")]
    [InlineData("AI 周报 第 15 期:\n本周值得关注的研究\n\n1.标题\n\n摘要。\n", "AI 周报 第 15 期", "AI 周报 第 15 期:\n本周值得关注的研究")]
    [InlineData("周报:\n\n\n说明文字\n\n  1. 标题\n\n1.标题\n\n摘要。\n", "周报", "周报:\n\n说明文字")]
    public void TitleAndIntroComeFromTheTextBeforeTheContents(string text, string title, string intro)
    {
        var digest = Parse(text);

        Assert.Equal(title, digest.Title);
        Assert.Equal(intro, digest.Intro);
    }
}
