using PaperBot.Core.Digests;

namespace PaperBot.Core.Tests.Digests;

public sealed class DigestFormatTests
{
    [Theory]
    [InlineData("{\"papers\": []}", DigestFormat.Json)]
    [InlineData("\uFEFF  \n\t{\"papers\": []}", DigestFormat.Json)]
    [InlineData("# 周报\n\n## 1. 标题", DigestFormat.Markdown)]
    [InlineData("本周论文:\n\n## 1. 标题", DigestFormat.Markdown)]
    [InlineData("周报:\n\n  1. 标题\n\n1.标题", DigestFormat.Text)]
    [InlineData("#话题 不是标题\n\n1.标题", DigestFormat.Text)]
    [InlineData("周报 {json} 之外\n\n1.标题", DigestFormat.Text)]
    [InlineData("<!DOCTYPE html><html><body><p>1.标题</p></body></html>", DigestFormat.Html)]
    [InlineData("\n  <section><p>周报</p></section>", DigestFormat.Html)]
    public void FormatIsDetectedFromTheContent(string content, DigestFormat format)
    {
        Assert.Equal(format, DigestParser.DetectFormat(content));
    }

    [Fact]
    public void ParseWithoutAFormatReadsEachSampleInItsOwnFormat()
    {
        foreach (var sample in new[] { TestFiles.SampleText, TestFiles.SampleMarkdown, TestFiles.SampleJson })
        {
            var result = DigestParser.Parse(sample);

            Assert.True(result.Succeeded, string.Join("\n", result.Errors));
            Assert.Equal(14, result.Digest!.Papers.Count);
        }
    }

    [Fact]
    public void AnExplicitFormatWinsOverDetection()
    {
        var result = DigestParser.Parse(TestFiles.SampleMarkdown, DigestFormat.Json);

        Assert.False(result.Succeeded);
        Assert.StartsWith("malformed JSON", Assert.Single(result.Errors).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("digest.json", DigestFormat.Json)]
    [InlineData("DIGEST.JSON", DigestFormat.Json)]
    [InlineData("2024-15.md", DigestFormat.Markdown)]
    [InlineData("weekly.markdown", DigestFormat.Markdown)]
    [InlineData("samples/digest-sample.txt", DigestFormat.Text)]
    [InlineData("C:\\digests\\week.TXT", DigestFormat.Text)]
    [InlineData("article.html", DigestFormat.Html)]
    [InlineData("第9期.HTM", DigestFormat.Html)]
    [InlineData("digest.docx", null)]
    [InlineData("digest", null)]
    [InlineData("json", null)]
    [InlineData("", null)]
    public void FormatFollowsTheFileExtension(string fileName, DigestFormat? format)
    {
        Assert.Equal(format, DigestParser.FormatFromFileName(fileName));
    }
}
