using PaperBot.Core.Digests;
using PaperBot.Core.Topics;

namespace PaperBot.Core.Tests.Topics;

public sealed class TopicTaggerTests
{
    private static readonly TopicTagger Shipped = new(TopicCatalog.Load(TestFiles.PathOf("config/topics.json")));

    private static readonly Digest Sample = DigestParser.Parse(TestFiles.SampleText).Digest!;

    // A small catalogue of its own, so that the matching rules are tested apart from the shipped keywords.
    private static readonly TopicTagger Small = new(TopicCatalog.Parse("""
        [
          {"slug": "architecture", "names": {"zh": "架构", "en": "Architectures"},
           "keywords": {"zh": ["循环神经网络", "线性注意力"], "en": ["RNN", "Mamba", "linear attention"]}},
          {"slug": "moe", "names": {"zh": "混合专家", "en": "Mixture of experts"},
           "keywords": {"zh": ["混合专家"], "en": ["MoE", "mixture of experts"]}},
          {"slug": "long-context", "names": {"zh": "长上下文", "en": "Long context"},
           "keywords": {"zh": ["长上下文"], "en": ["long context", "context window"]}},
          {"slug": "reasoning", "names": {"zh": "推理", "en": "Reasoning"},
           "keywords": {"zh": ["数学推理", "数学"], "en": ["math"]}}
        ]
        """));

    private static IReadOnlyList<string> SampleTags(int number)
    {
        var paper = Sample.Papers.Single(p => p.Number == number);
        return Shipped.Tag(paper.Title, paper.Summary);
    }

    [Theory]
    [InlineData(2, "moe")]
    [InlineData(2, "efficiency")]
    [InlineData(5, "long-context")]
    [InlineData(7, "long-context")]
    [InlineData(6, "multimodal")]
    [InlineData(9, "speech-audio")]
    [InlineData(10, "interpretability")]
    [InlineData(13, "image-generation")]
    [InlineData(14, "alignment")]
    [InlineData(1, "architecture")]
    [InlineData(3, "speech-audio")]
    [InlineData(3, "data-efficiency")]
    [InlineData(4, "data-efficiency")]
    [InlineData(8, "reasoning")]
    [InlineData(11, "multimodal")]
    [InlineData(12, "chinese-llm")]
    public void SamplePaperGetsItsTopic(int number, string slug)
    {
        Assert.Contains(slug, SampleTags(number));
    }

    [Theory]
    [InlineData(6, "speech-audio")]
    [InlineData(9, "multimodal")]
    [InlineData(12, "moe")]
    [InlineData(13, "multimodal")]
    [InlineData(14, "reasoning")]
    public void SamplePaperDoesNotGetAnUnrelatedTopic(int number, string slug)
    {
        Assert.DoesNotContain(slug, SampleTags(number));
    }

    [Fact]
    public void EverySamplePaperHasATopicAndNoTopicIsOnMoreThanHalfOfThem()
    {
        var tags = Sample.Papers.Select(p => Shipped.Tag(p.Title, p.Summary)).ToList();

        Assert.All(tags, t => Assert.NotEmpty(t));
        Assert.All(
            tags.SelectMany(t => t).CountBy(slug => slug),
            count => Assert.True(count.Value <= Sample.Papers.Count / 2, $"{count.Key} is on {count.Value} papers"));
    }

    [Theory]
    [InlineData("JetMoE:低成本模型", "moe")]
    [InlineData("Qwen-MoE 技术报告", "moe")]
    [InlineData("MoEs at scale", "moe")]
    [InlineData("A Mixture-of-Experts model", "moe")]
    [InlineData("基于MoE的模型", "moe")]
    [InlineData("\uFF2D\uFF4F\uFF25 全角", "moe")]
    [InlineData("Moel 数据集", null)]
    [InlineData("Schmoe and friends", null)]
    [InlineData("RNNs are back", "architecture")]
    [InlineData("Mamba2 技术报告", "architecture")]
    [InlineData("循环神经网络的新进展", "architecture")]
    [InlineData("Extending the long-context window", "long-context")]
    [InlineData("Extending the longcontext window", "long-context")]
    [InlineData("CONTEXT WINDOW extension", "long-context")]
    [InlineData("无限长上下文", "long-context")]
    [InlineData("DeepSeekMath 报告", "reasoning")]
    [InlineData("Learning in the Aftermath", null)]
    public void TitleKeywordsMatchOnWordBoundariesIgnoringCase(string title, string? slug)
    {
        var tags = Small.Tag(title, string.Empty);

        Assert.Equal(slug is null ? [] : [slug], tags);
    }

    [Theory]
    [InlineData("我们使用了 Mamba 作为基线。", false)]
    [InlineData("我们在 Mamba 与线性注意力之间做了比较。", true)]
    [InlineData("Mamba 很快。Mamba 很省。Mamba 很强。", true)]
    [InlineData("Mamba 很快。Mamba 很省。", false)]
    public void ASummaryNeedsTwoDifferentKeywordsOrThreeMentions(string summary, bool tagged)
    {
        Assert.Equal(tagged, Small.Tag("一篇论文", summary).Contains("architecture"));
    }

    [Fact]
    public void AKeywordInsideALongerKeywordDoesNotCountTwice()
    {
        Assert.Empty(Small.Tag("一篇论文", "数学推理很难。"));
        Assert.Equal(["reasoning"], Small.Tag("一篇论文", "数学推理很难,math 很有趣。"));
    }

    [Fact]
    public void SlugsComeInCatalogueOrder()
    {
        Assert.Equal(["architecture", "moe", "long-context"], Small.Tag("长上下文 MoE 与 RNN", string.Empty));
    }

    [Fact]
    public void EmptyTextHasNoTopics()
    {
        Assert.Empty(Shipped.Tag(string.Empty, string.Empty));
    }
}
