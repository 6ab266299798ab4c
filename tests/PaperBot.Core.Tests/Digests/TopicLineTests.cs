using PaperBot.Core.Digests;

namespace PaperBot.Core.Tests.Digests;

// A 话题 line after a paper's links names its topics, as the WeChat article writes them; text after it is not summary.
public sealed class TopicLineTests
{
    [Fact]
    public void ATopicLineGivesThePaperItsTopicsAndEndsItsSummary()
    {
        const string digest = """
            本周论文:

            1.长上下文新方法

            一种把上下文扩展到百万 token 的办法。

            论文链接: https://arxiv.org/abs/2404.00001
            话题：#长上下文 #训练与推理效率

            2.多模态对齐

            图文对齐的新数据集。

            话题: multimodal、数据集
            点击关注我
            """;

        var result = DigestParser.Parse(digest);

        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        var papers = result.Digest!.Papers;
        Assert.Equal(["长上下文", "训练与推理效率"], papers[0].Topics);
        Assert.Equal("一种把上下文扩展到百万 token 的办法。", papers[0].Summary);
        Assert.Equal(["multimodal", "数据集"], papers[1].Topics);
        Assert.Equal("图文对齐的新数据集。", papers[1].Summary);
    }

    [Fact]
    public void WithoutATopicLineThePapersTopicsAreLeftToTheTagger()
    {
        Assert.All(DigestParser.Parse(TestFiles.SampleText).Digest!.Papers, p => Assert.Null(p.Topics));
    }
}
