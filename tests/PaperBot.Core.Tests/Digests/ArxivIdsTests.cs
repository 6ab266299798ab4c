using PaperBot.Core.Digests;

namespace PaperBot.Core.Tests.Digests;

public sealed class ArxivIdsTests
{
    [Theory]
    [InlineData("https://arxiv.org/abs/2404.07965", "2404.07965")]
    [InlineData("http://arxiv.org/abs/2404.07965", "2404.07965")]
    [InlineData("https://www.arxiv.org/abs/2404.07965", "2404.07965")]
    [InlineData("https://arxiv.org/abs/2404.07965v2", "2404.07965")]
    [InlineData("https://arxiv.org/abs/2404.07965/", "2404.07965")]
    [InlineData("https://arxiv.org/pdf/2404.07965v1", "2404.07965")]
    [InlineData("https://arxiv.org/pdf/2404.07965v1.pdf", "2404.07965")]
    [InlineData("https://arxiv.org/pdf/2404.07965.pdf", "2404.07965")]
    [InlineData("https://arxiv.org/abs/2404.07965?context=cs.CL#section", "2404.07965")]
    [InlineData("  https://ARXIV.org/abs/2404.07965  ", "2404.07965")]
    [InlineData("https://arxiv.org/abs/1501.0001", "1501.0001")]
    [InlineData("https://arxiv.org/abs/hep-th/9901001", "hep-th/9901001")]
    [InlineData("https://arxiv.org/abs/hep-th/9901001v3", "hep-th/9901001")]
    [InlineData("https://arxiv.org/pdf/math.GT/0309136v1.pdf", "math.GT/0309136")]
    public void ArxivArticleUrlsGiveTheIdWithoutVersion(string url, string id)
    {
        Assert.Equal(id, ArxivIds.FromUrl(url));
    }

    [Theory]
    [InlineData("2404.07965", "2404.07965")]
    [InlineData("2404.07965v2", "2404.07965")]
    [InlineData("math.GT/0309136", "math/0309136")]
    [InlineData("math/0309136v1", "math/0309136")]
    [InlineData("cs.AI/0701001v3", "cs/0701001")]
    [InlineData("hep-th/9901001", "hep-th/9901001")]
    [InlineData("HEP-TH/9901001V2", "hep-th/9901001")]
    public void AnIdIsAskedAndMatchedInTheFormArxivAnswersWith(string id, string canonical)
    {
        Assert.Equal(canonical, ArxivIds.Canonical(id));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("arxiv.org/abs/2404.07965")]
    [InlineData("ftp://arxiv.org/abs/2404.07965")]
    [InlineData("https://github.com/microsoft/rho")]
    [InlineData("https://arxiv.org.evil.com/abs/2404.07965")]
    [InlineData("https://notarxiv.org/abs/2404.07965")]
    [InlineData("https://arxiv.org/list/cs.CL/recent")]
    [InlineData("https://arxiv.org/abs/")]
    [InlineData("https://arxiv.org/abs/2404.07965x")]
    [InlineData("https://arxiv.org/abs/2404.079")]
    [InlineData("https://huggingface.co/papers/2404.07965")]
    [InlineData("https://arxiv.org/abs/2313.12345")]
    [InlineData("https://arxiv.org/abs/0000.00001")]
    [InlineData("https://arxiv.org/abs/hep-th/9913001")]
    public void OtherUrlsGiveNull(string? url)
    {
        Assert.Null(ArxivIds.FromUrl(url));
    }
}
