using System.Diagnostics;
using PaperBot.Core.Digests;

namespace PaperBot.Core.Tests.Digests;

public sealed class ParserRobustnessTests
{
    [Fact]
    public void NoPrefixOfTheSamplesMakesTheParserThrow()
    {
        foreach (var sample in new[] { TestFiles.SampleText, TestFiles.SampleMarkdown, TestFiles.SampleJson })
        {
            var lines = sample.Split('\n');
            for (var count = 0; count <= lines.Length; count++)
            {
                var prefix = string.Join('\n', lines.Take(count));
                foreach (var format in new DigestFormat?[] { null, DigestFormat.Text, DigestFormat.Markdown, DigestFormat.Json })
                {
                    var result = DigestParser.Parse(prefix, format);
                    Assert.True(result.Succeeded != (result.Errors.Count > 0), $"{count} lines as {format}");
                }
            }
        }
    }

    // A backtracking pattern such as "(?<title>\S.*?)\s*$" takes minutes on such lines; the
    // limit is far above what a linear parse needs, so a slow machine does not make this flaky.
    [Theory]
    [InlineData("1.x{0}y\n\n摘要。", DigestFormat.Text)]
    [InlineData("1.x\n\n摘要。\n\n论文链接:{0}https://arxiv.org/abs/1", DigestFormat.Text)]
    [InlineData("# x{0}y\n\n1. x{0}y\n\n## 1. x{0}y\n\n摘要。", DigestFormat.Markdown)]
    [InlineData("{{\"papers\": [{{\"number\": 1, \"title\": \"x{0}y\", \"summary\": \"s\"}}]}}", DigestFormat.Json)]
    public void LongRunsOfSpacesAreReadQuickly(string template, DigestFormat format)
    {
        var text = string.Format(System.Globalization.CultureInfo.InvariantCulture, template, new string(' ', 100_000));
        var stopwatch = Stopwatch.StartNew();

        var result = DigestParser.Parse(text, format);

        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        Assert.InRange(stopwatch.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(10));
    }
}
