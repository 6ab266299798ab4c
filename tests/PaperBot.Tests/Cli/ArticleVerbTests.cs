
namespace PaperBot.Tests.Cli;

public sealed class ArticleVerbTests
{
    [Fact]
    public async Task TheArticleWrittenAsHtmlImportsBackAsTheSameIssue()
    {
        using var cli = new CliRunner();
        await cli.RunAsync("import", CliRunner.Sample);
        var file = Path.Combine(cli.Directory, "issue-1.html");

        var (exit, output, _) = await cli.RunAsync("article", "1", "--html", file);

        Assert.Equal(0, exit);
        Assert.Matches(@"^wrote issue 1's article to .*issue-1\.html \(1\d,\d{3} characters; WeChat takes fewer than 20,000\)\s*$", output);
        Assert.StartsWith("<!DOCTYPE html>", await File.ReadAllTextAsync(file), StringComparison.Ordinal);
        Assert.Equal("already imported as issue 1 (14 papers); nothing changed\n", (await cli.RunAsync("import", file)).Out.Replace("\r", "", StringComparison.Ordinal));
        using var fresh = new CliRunner();
        Assert.StartsWith("imported issue 1 (14 papers)", (await fresh.RunAsync("import", file)).Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "article" }, 2, "article: give one issue id (see: issues); usage: article ISSUE --html FILE | --draft | --publish")]
    [InlineData(new[] { "article", "one", "--draft" }, 2, "article: give one issue id (see: issues); usage: article ISSUE --html FILE | --draft | --publish")]
    [InlineData(new[] { "article", "1" }, 2, "article: give exactly one of --html FILE, --draft or --publish; usage: article ISSUE --html FILE | --draft | --publish")]
    [InlineData(new[] { "article", "1", "--draft", "--publish" }, 2, "article: give exactly one of --html FILE, --draft or --publish; usage: article ISSUE --html FILE | --draft | --publish")]
    [InlineData(new[] { "article", "1", "--html" }, 2, "article: --html needs a value; usage: article ISSUE --html FILE | --draft | --publish")]
    [InlineData(new[] { "article", "1", "--mail" }, 2, "article: unknown option --mail; usage: article ISSUE --html FILE | --draft | --publish")]
    [InlineData(new[] { "article", "99", "--html", "out.html" }, 1, "article: there is no issue 99 (see: issues)")]
    [InlineData(new[] { "article", "1", "--draft" }, 1, "article: the WeChat API is off: set WeChat__Token, WeChat__AppId and WeChat__AppSecret, or use “Copy for the WeChat editor”")]
    public async Task BadArgumentsExitNonZeroWithOneLine(string[] args, int expectedExit, string message)
    {
        using var cli = new CliRunner();
        await cli.RunAsync("import", CliRunner.Sample);

        var (exit, output, error) = await cli.RunAsync(args.Select(a => a == "out.html" ? Path.Combine(cli.Directory, a) : a).ToArray());

        Assert.Equal(expectedExit, exit);
        Assert.Equal("", output);
        Assert.Equal(message, error.Trim());
    }

    [Fact]
    public async Task ArgumentsAreCheckedBeforeTheDatabaseIsOpened()
    {
        using var cli = new CliRunner(new Dictionary<string, string?> { ["ConnectionStrings:PaperBot"] = "Data Source=/nonexistent/folder/paperbot.db" });

        var (exit, _, error) = await cli.RunAsync("article", "1", "--html", "/nonexistent/folder/a.html");

        Assert.Equal(2, exit);
        Assert.Equal("article: there is no folder '/nonexistent/folder' to write /nonexistent/folder/a.html into; usage: article ISSUE --html FILE | --draft | --publish", error.Trim());
    }
}
