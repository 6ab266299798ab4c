using PaperBot.Core.Digests;

namespace PaperBot.Core.Tests.Digests;

public sealed class SampleDigestTests
{
    private static readonly Digest Sample = ParseSample();

    private static Digest ParseSample()
    {
        var result = DigestParser.Parse(TestFiles.SampleText);
        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        return result.Digest!;
    }

    private static DigestPaper Paper(int number) => Sample.Papers.Single(p => p.Number == number);

    [Fact]
    public void SampleIsReadAsTextWithFourteenPapersInOrder()
    {
        Assert.Equal(DigestFormat.Text, DigestParser.DetectFormat(TestFiles.SampleText));
        Assert.Equal(Enumerable.Range(1, 14), Sample.Papers.Select(p => p.Number));
    }

    [Fact]
    public void DigestTitleIsTheIntroLineWithoutItsColon()
    {
        Assert.Equal("本周值得关注的大模型 / AIGC 前沿研究", Sample.Title);
        Assert.Equal("本周值得关注的大模型 / AIGC 前沿研究:", Sample.Intro);
    }

    // Titles are the sections' (joined over two lines where the section splits them), not the contents'.
    [Theory]
    [InlineData(1, "超越 Transformer:Google DeepMind 提出高效开放语言模型")]
    [InlineData(2, "仅用 10 万美元!MIT 训了一个 Llama2 级的大模型")]
    [InlineData(4, "微软、厦大、清华提出 Rho-1:不是所有 token 都是你需要的")]
    [InlineData(8, "华为新研究:用自主学习改进语言模型推理")]
    [InlineData(9, "微软、上交大推出 CoVoMix:实现多个对话者的多轮对话")]
    [InlineData(12, "CT-LLM:仅 20 亿参数,基于中文的大型语言模型")]
    [InlineData(14, "微软研究院:让语言模型利用一般偏好进行自我改进")]
    public void PaperTitleIsTheSectionTitleJoined(int number, string title)
    {
        Assert.Equal(title, Paper(number).Title);
    }

    [Theory]
    [InlineData(1, "https://arxiv.org/abs/2404.07839", null, null, "2404.07839")]
    [InlineData(2, "https://arxiv.org/abs/2404.07413", "https://github.com/myshell-ai/JetMoE", null, "2404.07413")]
    [InlineData(3, "https://arxiv.org/abs/2404.07616", "https://audiodialogues.github.io/", null, "2404.07616")]
    [InlineData(4, "https://arxiv.org/abs/2404.07965", "https://github.com/microsoft/rho", null, "2404.07965")]
    [InlineData(6, "https://arxiv.org/abs/2404.07204", null, "https://brave-vlms.epfl.ch/", "2404.07204")]
    [InlineData(14, "https://arxiv.org/abs/2404.03715", null, null, "2404.03715")]
    public void PaperLinksAndArxivIdComeFromTheLabels(int number, string paper, string? code, string? project, string arxivId)
    {
        Assert.Equal(new PaperLinks(paper, code, project), Paper(number).Links);
        Assert.Equal(arxivId, Paper(number).ArxivId);
    }

    [Fact]
    public void EveryPaperHasAPaperLinkAndASummaryAndNoTopics()
    {
        Assert.All(Sample.Papers, p =>
        {
            Assert.StartsWith("https://arxiv.org/abs/", p.Links.Paper, StringComparison.Ordinal);
            Assert.False(string.IsNullOrWhiteSpace(p.Summary));
            Assert.Null(p.Topics);
        });
    }

    [Fact]
    public void SummaryParagraphsAreKeptAndLinksAreNotPartOfThem()
    {
        var paragraphs = Paper(2).Summary.Split("\n\n");

        Assert.Equal(5, paragraphs.Length);
        Assert.Equal("大型语言模型(LLMs)已经取得了显著的成果,但其日益增长的资源需求已经成为发展强大和可访问的超人类智能的主要障碍。", paragraphs[0]);
        Assert.StartsWith("此外,JetMoE-8B 是高度开放和学术友好的", paragraphs[4], StringComparison.Ordinal);
        Assert.DoesNotContain("论文链接", Paper(2).Summary, StringComparison.Ordinal);
        Assert.DoesNotContain("https://", Paper(2).Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void FooterIsNotPartOfTheLastSummary()
    {
        var last = Paper(14).Summary;

        Assert.EndsWith("包括 Mistral Large、Self-Rewarding LM(70B 参数)和旧版本的 GPT-4。", last, StringComparison.Ordinal);
        Assert.DoesNotContain("点击关注我", last, StringComparison.Ordinal);
    }

    [Fact]
    public void CrlfLineEndingsAndAByteOrderMarkGiveTheSameDigest()
    {
        var windows = "\uFEFF" + TestFiles.SampleText.Replace("\n", "\r\n", StringComparison.Ordinal);

        var result = DigestParser.Parse(windows);

        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        Assert.Equal(Sample.Title, result.Digest!.Title);
        Assert.Equal(Sample.Intro, result.Digest.Intro);
        Assert.Equal(Sample.Papers, result.Digest.Papers);
    }
}
