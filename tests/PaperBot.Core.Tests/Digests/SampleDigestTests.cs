using PaperBot.Core.Digests;
using PaperBot.TestServices;

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

    public static TheoryData<int> Numbers => SampleAssert.Numbers;

    // Titles are the sections' (joined over two lines where the section splits them), not the contents'; links come
    // from the labels (论文链接, Github 地址, 项目地址) and the arXiv id from the paper link.
    [Theory]
    [MemberData(nameof(Numbers))]
    public void EachPaperIsReadAsWritten(int number)
    {
        SampleAssert.PaperAsWritten(SampleDigest.Paper(number), Paper(number));
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
        SampleAssert.DigestAsWritten(result.Digest!);
    }
}
