namespace PaperBot.Tests.Cli;

/// <summary>
/// README, Command line: "Every verb … takes --help". A verb's --help prints its usage, exits 0 and does nothing else:
/// not even the database is opened, and an issue named beside it is not published.
/// </summary>
public sealed class VerbHelpTests
{
    [Theory]
    [InlineData("import")]
    [InlineData("issues")]
    [InlineData("topics")]
    [InlineData("publish")]
    [InlineData("article")]
    [InlineData("resend")]
    [InlineData("broadcast")]
    [InlineData("subscribers")]
    [InlineData("stats")]
    [InlineData("migrate")]
    [InlineData("config")]
    public async Task EveryVerbsHelpPrintsItsUsageExitsZeroAndOpensNoDatabase(string verb)
    {
        using var cli = new CliRunner();

        var (exit, output, error) = await cli.RunAsync(verb, "--help");

        Assert.Equal(0, exit);
        Assert.StartsWith($"usage: {verb}", output, StringComparison.Ordinal);
        Assert.Equal("", error);
        Assert.False(File.Exists(Path.Combine(cli.Directory, "paperbot.db")), "--help opened the database");
    }

    [Fact]
    public async Task PublishWithHelpBesideAnIssuePublishesNothing()
    {
        using var cli = new CliRunner();
        Assert.Equal(0, (await cli.RunAsync("import", CliRunner.Sample)).Exit);

        var (exit, output, _) = await cli.RunAsync("publish", "1", "--help");

        Assert.Equal(0, exit);
        Assert.StartsWith("usage: publish", output, StringComparison.Ordinal);
        Assert.Contains("draft", (await cli.RunAsync("issues")).Out, StringComparison.Ordinal);
        Assert.DoesNotContain("published", (await cli.RunAsync("issues")).Out, StringComparison.Ordinal);
    }
}
