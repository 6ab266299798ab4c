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

    private static readonly TermScores SmallTerms = new(TopicCatalog.Parse("""
        [
          {"slug": "architecture", "names": {"zh": "架构", "en": "Architectures"},
           "keywords": {"zh": ["循环神经网络", "线性注意力"], "en": ["RNN", "Mamba", "linear attention"]}},
          {"slug": "reasoning", "names": {"zh": "推理", "en": "Reasoning"},
           "keywords": {"zh": ["数学推理", "数学"], "en": ["math"]}},
          {"slug": "efficiency", "names": {"zh": "效率", "en": "Efficiency"},
           "keywords": {"zh": ["低成本", "量化^2"]}, "exclude": {"zh": ["机器人^2"]}}
        ]
        """));

    [Theory]
    [InlineData("我们使用了 Mamba 作为基线。", 1)]
    [InlineData("我们在 Mamba 与线性注意力之间做了比较。", 2)]
    [InlineData("Mamba 很快。Mamba 很省。Mamba 很强。", 2)]
    [InlineData("Mamba 很快。Mamba 很省。Mamba 很强。Mamba 很稳。", 2)]
    [InlineData("Mamba 很快。Mamba 很省。", 1.5)]
    public void ASummaryIsEvidentWithTwoDifferentKeywordsOrThreeMentions(string summary, double score)
    {
        Assert.Equal(score, SmallTerms.Score("一篇论文", summary)[0]);
    }

    [Fact]
    public void ATitleKeywordCountsTwiceAndAWeightMultiplies()
    {
        Assert.Equal(2, SmallTerms.Score("Mamba 技术报告", "")[0]);
        Assert.Equal(2, SmallTerms.Score("一篇论文", "我们把模型量化。")[2]);
        Assert.Equal(4, SmallTerms.Score("量化的极限", "")[2]);
    }

    [Fact]
    public void AnExcludedKeywordCountsAgainstItsTopicAndVetoesIt()
    {
        var tagger = new TopicTagger(TopicCatalog.Parse("""
            [{"slug": "efficiency", "names": {"zh": "效率", "en": "Efficiency"}, "keywords": {"zh": ["低成本^2"]}, "exclude": {"zh": ["机器人^3"]}},
             {"slug": "embodied", "names": {"zh": "具身", "en": "Embodied"}, "keywords": {"zh": ["遥操作"]}}]
            """));

        Assert.Equal(-2, SmallTerms.Score("低成本机器人", "")[2]);
        Assert.Equal(["efficiency"], tagger.Tag("低成本训练", ""));
        Assert.Equal(["embodied"], tagger.Tag("低成本机器人", "用遥操作收集数据。"));
    }

    private static readonly TermScores SensesOfAWord = new(TopicCatalog.Parse("""
        [{"slug": "chinese-llm", "names": {"zh": "中文大模型", "en": "Chinese LLMs"},
          "keywords": {"zh": ["中文^2"]}, "exclude": {"zh": ["香港中文大学", "英文"]}}]
        """));

    [Theory]
    [InlineData("香港中文大学的研究者提出一种微调方法。", 0)]
    [InlineData("香港中文大学的研究者发布了中文模型。", 2)]
    [InlineData("模型在中文和英文上都做了评测。", 1)]
    public void AnExclusionAroundAKeywordIsAnotherSenseAndCancelsOnlyThatMention(string summary, double score)
    {
        Assert.Equal(score, SensesOfAWord.Score("一篇论文", summary)[0]);
    }

    [Theory]
    [InlineData("香港中文大学和 MIT 的研究团队提出一种高效的微调方法。", "chinese-llm")]
    [InlineData("题目由领域专家编写,非专家验证者即使上网搜索,准确率也只有 34%。", "moe")]
    [InlineData("模型在联合学习的量化潜在表示上求解对比任务。", "efficiency")]
    [InlineData("再从冻结的语言模型学习从图像生成文本。", "image-generation")]
    [InlineData("这种方法直接从相机画面学习视觉运动策略。", "multimodal")]
    public void AWordUsedInAnotherSenseDoesNotTagItsTopic(string summary, string slug)
    {
        Assert.DoesNotContain(slug, Shipped.Tag("一篇论文", summary));
    }

    [Theory]
    [InlineData("我们发布了一个中文大模型,并在中文评测上取得最好成绩。", "chinese-llm")]
    [InlineData("我们提出一种稀疏的混合专家模型,每个 token 只路由到两个专家。", "moe")]
    [InlineData("我们把权重量化到 4 比特,显存减半。", "efficiency")]
    [InlineData("我们提出一种根据文本生成图像的扩散模型。", "image-generation")]
    public void TheSameWordInItsOwnSenseStillTagsItsTopic(string summary, string slug)
    {
        Assert.Contains(slug, Shipped.Tag("一篇论文", summary));
    }

    [Fact]
    public void AHigherEvidentThresholdNeedsMoreEvidence()
    {
        var strict = new TopicTagger(TopicCatalog.Parse("""
            [{"slug": "reasoning", "names": {"zh": "推理", "en": "Reasoning"}, "keywords": {"zh": ["数学推理", "数学"]}},
             {"slug": "long-context", "names": {"zh": "长上下文", "en": "Long context"}, "keywords": {"zh": ["长上下文^3"]}}]
            """), rule: new TaggingRule(Evident: 3));

        Assert.Equal(["long-context"], strict.Tag("一篇论文", "数学推理和数学都提到了,长上下文也提到了。"));
        Assert.Equal(["reasoning"], Small.Tag("一篇论文", "数学推理和数学都提到了,长上下文也提到了。"));
    }

    [Fact]
    public void AKeywordInsideALongerKeywordDoesNotCountTwice()
    {
        Assert.Equal(1, SmallTerms.Score("一篇论文", "数学推理很难。")[1]);
        Assert.Equal(2, SmallTerms.Score("一篇论文", "数学推理很难,math 很有趣。")[1]);
    }

    [Fact]
    public void APassingMentionTagsAPaperOnlyWhenNoTopicIsEvident()
    {
        Assert.Equal(["architecture"], Small.Tag("一篇论文", "我们使用了 Mamba 作为基线。"));
        Assert.Equal(["long-context"], Small.Tag("长上下文的论文", "我们使用了 Mamba 作为基线。"));
        Assert.Empty(Small.Tag("一篇论文", "与这些话题都无关。"));
    }

    private const string ReasoningAndMoe = "数学推理和数学都提到了,混合专家也提到了,MoE 也是。";

    // The model of these tests finds reasoning very unlikely in any paper (bias -5: p 0.007) and moe an even chance.
    private static TopicTagger SmallWithModel(string modelJson) => new(
        TopicCatalog.Parse("""
            [{"slug": "moe", "names": {"zh": "混合专家", "en": "Mixture of experts"}, "keywords": {"zh": ["混合专家"], "en": ["MoE"]}},
             {"slug": "reasoning", "names": {"zh": "推理", "en": "Reasoning"}, "keywords": {"zh": ["数学推理", "数学"]}}]
            """),
        TopicModel.Parse(modelJson));

    [Fact]
    public void AnEvidentTopicTheModelFindsVeryUnlikelyIsNotTagged()
    {
        var tagger = SmallWithModel("""{"topics": {"moe": {"bias": 0, "weights": {}}, "reasoning": {"bias": -5, "weights": {}}}}""");

        Assert.Equal(["moe"], tagger.Tag("一篇论文", ReasoningAndMoe));
        Assert.Equal(["moe", "reasoning"], SmallWithModel("""{"topics": {}}""").Tag("一篇论文", ReasoningAndMoe));
    }

    [Fact]
    public void KeywordsThatAreSureStandAgainstTheModel()
    {
        var tagger = SmallWithModel("""{"topics": {"moe": {"bias": 0, "weights": {}}, "reasoning": {"bias": -5, "weights": {}}}}""");

        Assert.Equal(["moe", "reasoning"], tagger.Tag("数学推理", ReasoningAndMoe));
    }

    [Fact]
    public void ATopicTheModelWasNotTrainedOnIsNeverVetoedByIt()
    {
        var tagger = SmallWithModel("""{"topics": {"moe": {"bias": 0, "weights": {}}}}""");

        Assert.Equal(["moe", "reasoning"], tagger.Tag("一篇论文", ReasoningAndMoe));
    }

    [Fact]
    public void APaperWithOnlyWeakEvidenceStillGetsItsBestTopic()
    {
        // No keyword, moe at p 0.12 (bias -2) and reasoning at 0.007: weak, but a reader filtering by topic should find the paper somewhere.
        var tagger = SmallWithModel("""{"topics": {"moe": {"bias": -2, "weights": {}}, "reasoning": {"bias": -5, "weights": {}}}}""");

        Assert.Equal(["moe"], tagger.Tag("一篇论文", "与这些话题都无关。"));
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
