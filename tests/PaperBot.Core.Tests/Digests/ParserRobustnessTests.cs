using System.Diagnostics;
using PaperBot.Core.Digests;

namespace PaperBot.Core.Tests.Digests;

public sealed class ParserRobustnessTests
{
    [Fact]
    public void CharactersNoTextMayCarryAreDroppedFromAPastedDigest()
    {
        var pasted = TestFiles.SampleText
            .Replace("超越 Transformer", "超越\uFFFE Transformer", StringComparison.Ordinal)
            .Replace("谷歌提出无限上下文", "谷歌\u0001提出无限上下文", StringComparison.Ordinal);

        var result = DigestParser.Parse(pasted);

        Assert.True(result.Succeeded);
        Assert.Equal("超越 Transformer:Google DeepMind 提出高效开放语言模型", result.Digest!.Papers[0].Title);
        Assert.Equal("谷歌提出无限上下文 Transformer", result.Digest.Papers[6].Title);
    }

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

    // A backtracking pattern such as "(?<title>\S.*?)\s*$" is quadratic on such lines: at 100,000 spaces it takes
    // minutes. Reading one run of 16,000 spaces is timed against reading a run of 1,000 sixteen times over — the same
    // number of characters. A linear reading takes about as long for both; a quadratic one sixteen times as long for the
    // single long run. The bound sits between the two, and both timings come from this run, so a slow or busy machine
    // slows them alike. Then a run of 100,000 must still read: to the end, where a title that long is refused for its length.
    [Theory]
    [InlineData("1.x{0}y\n\n摘要。", DigestFormat.Text)]
    [InlineData("1.x\n\n摘要。\n\n论文链接:{0}https://arxiv.org/abs/1", DigestFormat.Text)]
    [InlineData("# x{0}y\n\n1. x{0}y\n\n## 1. x{0}y\n\n摘要。", DigestFormat.Markdown)]
    [InlineData("{{\"papers\": [{{\"number\": 1, \"title\": \"x{0}y\", \"summary\": \"s\"}}]}}", DigestFormat.Json)]
    public void LongRunsOfSpacesAreReadInLinearTime(string template, DigestFormat format)
    {
        var shortRun = WithSpaces(template, 1_000);
        var longRun = WithSpaces(template, 16_000);

        var shortRuns = Fastest(() =>
        {
            for (var i = 0; i < 16; i++)
                DigestParser.Parse(shortRun, format);
        });
        var longOnce = Fastest(() => DigestParser.Parse(longRun, format));

        Assert.True(longOnce < shortRuns * 4, $"16 × 1,000 spaces took {shortRuns.TotalMilliseconds} ms, 16,000 at once {longOnce.TotalMilliseconds} ms: {longOnce / shortRuns:F1} times as long");
        var result = DigestParser.Parse(WithSpaces(template, 100_000), format);
        Assert.True(result.Succeeded || result.Errors.All(e => e.Message.Contains("characters; at most", StringComparison.Ordinal)), string.Join("\n", result.Errors));
    }

    private static string WithSpaces(string template, int spaces) =>
        string.Format(System.Globalization.CultureInfo.InvariantCulture, template, new string(' ', spaces));

    /// <summary>The best of five runs: the one least disturbed by the machine's other work.</summary>
    private static TimeSpan Fastest(Action run)
    {
        var best = TimeSpan.MaxValue;
        for (var i = 0; i < 5; i++)
        {
            var stopwatch = Stopwatch.StartNew();
            run();
            best = TimeSpan.FromTicks(Math.Min(best.Ticks, stopwatch.Elapsed.Ticks));
        }

        return best;
    }
}
