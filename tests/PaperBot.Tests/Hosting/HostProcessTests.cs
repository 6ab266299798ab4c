namespace PaperBot.Tests.Hosting;

public sealed class HostProcessTests
{
    [Fact]
    public async Task AFreshStartAnswersHealthzAndServesTheSample()
    {
        await using var host = HostProcess.Start();

        Assert.True(await host.WaitForHealthyAsync(TimeSpan.FromSeconds(30)), host.Output + host.Error);
        using var client = new HttpClient { BaseAddress = host.Address };
        Assert.Contains("2404.07965", await client.GetStringAsync("/api/issues/latest"), StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(host.WorkingDirectory, "data", "paperbot.db")));
    }

    [Theory]
    [InlineData("Storage__Provider", "Mysql", "configuration: Storage:Provider must be Sqlite or Postgres, not 'Mysql'")]
    [InlineData("ConnectionStrings__PaperBot", "", "configuration: ConnectionStrings:PaperBot is empty")]
    [InlineData("Schedule__WeeklyCron", "every monday", "configuration: Schedule:WeeklyCron 'every monday' is not a Quartz cron expression")]
    public async Task AWrongSettingStopsTheHostWithOneLineNamingTheKey(string key, string value, string expected)
    {
        await using var host = HostProcess.Start(new Dictionary<string, string> { [key] = value });
        var exit = await host.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(2, exit);
        var line = Assert.Single(host.Error.Trim().Split('\n'));
        Assert.StartsWith(expected, line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASecondBotOnTheSameSqliteFileRefusesToStartNamingTheFile()
    {
        await using var first = HostProcess.Start();
        Assert.True(await first.WaitForHealthyAsync(TimeSpan.FromSeconds(60)), first.Output + first.Error);

        await using var second = HostProcess.Start(workingDirectory: first.WorkingDirectory);
        var exit = await second.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(2, exit);
        var database = Path.Combine(first.WorkingDirectory, "data", "paperbot.db");
        Assert.Equal($"configuration: Storage: {database} is in use by another PaperBot process; SQLite serves one bot at a time (several instances need Storage__Provider=Postgres)",
            Assert.Single(second.Error.Trim().Split('\n')));
        using var client = new HttpClient { BaseAddress = first.Address };
        Assert.Equal(System.Net.HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);
    }
}
