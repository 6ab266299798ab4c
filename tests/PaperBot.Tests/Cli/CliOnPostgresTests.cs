using System.Text.Json;
using PaperBot.TestServices;

namespace PaperBot.Tests.Cli;

/// <summary>The verbs on PostgreSQL, where a value longer than its column is an error rather than stored as on SQLite.</summary>
public sealed class CliOnPostgresTests
{
    private static string Digest(string title, string paperTitle, string url) => JsonSerializer.Serialize(new
    {
        title,
        papers = new[]
        {
            new { number = 1, title = paperTitle, summary = "A summary.", links = new { paper = url } },
        },
    });

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task ADigestWithATitleLongerThanTheDatabaseKeepsIsRefusedWithOneLineOnEitherDatabase(string provider)
    {
        await using var database = provider == "Postgres" ? await PostgresDatabase.CreateAsync() : null;
        using var cli = new CliRunner(database is null ? null : new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "Postgres",
            ["ConnectionStrings:PaperBot"] = database.ConnectionString,
        });

        var (exit, output, error) = await cli.RunAsync("import", cli.Write("long.json", Digest("Weekly", new string('长', 501), "https://arxiv.org/abs/2404.07839")));

        Assert.Equal("", output);
        Assert.Equal(1, exit);
        Assert.Single(error.Trim().Split('\n'));
        Assert.Contains("title", error, StringComparison.Ordinal);
        Assert.Contains("no issues", (await cli.RunAsync("issues")).Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnIntroWhoseFirstLineIsLongerThanATitleIsImportedOnPostgresWithItsTitleCut()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        using var cli = new CliRunner(new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "Postgres",
            ["ConnectionStrings:PaperBot"] = database.ConnectionString,
        });
        var sample = File.ReadAllText(CliRunner.Sample);
        var longIntro = new string('周', 600) + sample[sample.IndexOf('\n', StringComparison.Ordinal)..];

        var (exit, output, error) = await cli.RunAsync("import", cli.Write("intro.txt", longIntro));

        Assert.Equal("", error);
        Assert.Equal(0, exit);
        Assert.StartsWith("imported issue 1 (14 papers)", output, StringComparison.Ordinal);
        Assert.Contains(new string('周', 499) + "…", (await cli.RunAsync("issues")).Out, StringComparison.Ordinal);
    }
}
