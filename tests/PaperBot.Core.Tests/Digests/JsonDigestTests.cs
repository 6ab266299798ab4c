using PaperBot.Core.Digests;
using PaperBot.TestServices;

namespace PaperBot.Core.Tests.Digests;

public sealed class JsonDigestTests
{
    private const string OnePaper = """
        {
          "id": 3,
          "title": "AI 周报",
          "papers": [
            {
              "number": 1,
              "title": "Rho-1",
              "summary": "摘要。",
              "arxivId": "9999.99999",
              "links": { "paper": "https://arxiv.org/abs/2404.07965v2", "code": "https://github.com/microsoft/rho", "project": null }
            }
          ]
        }
        """;

    private static Digest Parse(string json)
    {
        var result = DigestParser.Parse(json, DigestFormat.Json);
        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        return result.Digest!;
    }

    public static TheoryData<int> Numbers => SampleAssert.Numbers;

    [Fact]
    public void SampleInJsonHasTheTitleIntroAndFourteenPapersOfTheText()
    {
        var digest = Parse(TestFiles.SampleJson);

        Assert.Equal("本周值得关注的大模型 / AIGC 前沿研究", digest.Title);
        Assert.Equal("本周值得关注的大模型 / AIGC 前沿研究:", digest.Intro);
        Assert.Equal(Enumerable.Range(1, 14), digest.Papers.Select(p => p.Number));
    }

    [Theory]
    [MemberData(nameof(Numbers))]
    public void EachPaperOfTheJsonSampleIsReadAsWritten(int number)
    {
        var paper = Parse(TestFiles.SampleJson).Papers.Single(p => p.Number == number);

        SampleAssert.PaperAsWritten(SampleDigest.Paper(number), paper);
    }

    [Fact]
    public void IdAndArxivIdAreIgnoredAndIntroIsOptional()
    {
        var paper = Assert.Single(Parse(OnePaper).Papers);

        Assert.Equal("2404.07965", paper.ArxivId);
        Assert.Equal(new PaperLinks("https://arxiv.org/abs/2404.07965v2", "https://github.com/microsoft/rho", null), paper.Links);
        Assert.Equal(string.Empty, Parse(OnePaper).Intro);
    }

    [Theory]
    [InlineData("\"topics\": [\"data-efficiency\", \"reasoning\"]", new[] { "data-efficiency", "reasoning" })]
    [InlineData("\"topics\": []", new string[0])]
    [InlineData("\"topics\": null", null)]
    [InlineData("\"other\": 1", null)]
    public void TopicsArePassedThrough(string topics, string[]? expected)
    {
        var json = $$"""{"title": "周报", "papers": [{"number": 1, "title": "T", "summary": "S", {{topics}}}]}""";

        Assert.Equal(expected, Assert.Single(Parse(json).Papers).Topics);
    }

    [Theory]
    [InlineData("""{"papers": [{"number": 1, "title": "T", "summary": "S"}]}""", "AI 论文周报")]
    [InlineData("""{"title": "  ", "papers": [{"number": 1, "title": "T", "summary": "S"}]}""", "AI 论文周报")]
    [InlineData("""{"title": " 周报 ", "papers": [{"number": 1, "title": "T", "summary": "S", "links": null}]}""", "周报")]
    public void MissingTitleGetsTheDefault(string json, string title)
    {
        Assert.Equal(title, Parse(json).Title);
    }

    [Fact]
    public void SummaryLineBreaksAreNormalized()
    {
        var json = """{"papers": [{"number": 1, "title": "T", "summary": " 第一段。\r\n\r\n第二段。 "}]}""";

        Assert.Equal("第一段。\n\n第二段。", Assert.Single(Parse(json).Papers).Summary);
    }

    [Theory]
    [InlineData("{\n  \"title\": \"周报\"\n  \"papers\": []\n}", 3)]
    [InlineData("{\n  \"papers\": [\n    {\"number\": 1,}\n  ]\n}", 3)]
    [InlineData("{\n  \"title\": \"unterminated\n}", 2)]
    [InlineData("{\"papers\": []}\n\ntrailing", 3)]
    [InlineData("{", 1)]
    public void MalformedJsonIsReportedAtTheLineTheReaderStopped(string json, int line)
    {
        var error = Assert.Single(DigestParser.Parse(json).Errors);

        Assert.Equal(line, error.Line);
        Assert.StartsWith("malformed JSON: ", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("LineNumber", error.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string, string, int, string> Errors => new()
    {
        { "no papers", "{\n  \"title\": \"周报\"\n}", 1, "expected 'papers' to be an array of papers" },
        { "empty papers", "{\n  \"papers\": []\n}", 2, "'papers' is empty; a digest needs at least one paper" },
        { "an array at the root", "[\n]", 1, "expected a JSON object with a 'papers' array" },
        { "no summary", "{\"papers\": [\n  {\"number\": 1, \"title\": \"T\", \"summary\": \"\"},\n  {\"number\": 2, \"title\": \"U\"}\n]}", 3, "paper 2 has no summary" },
        { "no number", "{\"papers\": [\n  {\"title\": \"T\", \"summary\": \"S\"}\n]}", 2, "papers[0] needs a whole 'number'" },
        { "a gap", "{\"papers\": [\n  {\"number\": 1, \"title\": \"T\", \"summary\": \"S\"},\n  {\"number\": 3, \"title\": \"U\", \"summary\": \"S\"}\n]}", 3, "paper 3 follows paper 1; paper 2 is missing" },
        { "a duplicate", "{\"papers\": [\n  {\"number\": 1, \"title\": \"T\", \"summary\": \"S\"},\n  {\"number\": 1, \"title\": \"U\", \"summary\": \"S\"}\n]}", 3, "paper 1 appears twice; the first is at line 2" },
        { "a title that is not a string", "{\"papers\": [\n  {\"number\": 1,\n   \"title\": 5, \"summary\": \"S\"}\n]}", 3, "paper 1 'title' is not a string" },
        { "no title", "{\"papers\": [\n  {\"number\": 1, \"summary\": \"S\"}\n]}", 2, "paper 1 has no title" },
        { "a non-http link", "{\"papers\": [\n  {\"number\": 1, \"title\": \"T\", \"summary\": \"S\",\n   \"links\": {\"code\": \"git@github.com:a/b.git\"}}\n]}", 3, "paper 1 link 'code' is 'git@github.com:a/b.git', which is not an http(s) URL" },
        { "topics that are not strings", "{\"papers\": [\n  {\"number\": 1, \"title\": \"T\", \"summary\": \"S\",\n   \"topics\": [1]}\n]}", 3, "paper 1 'topics' is not an array of strings" },
    };

    [Theory]
    [MemberData(nameof(Errors))]
    public void ProblemsAreReportedWithTheirLines(string problem, string json, int line, string message)
    {
        var result = DigestParser.Parse(json, DigestFormat.Json);

        Assert.False(result.Succeeded, problem);
        Assert.Contains(new DigestError(line, message), result.Errors);
    }
}
