namespace PaperBot.Tests.Cli;

public sealed class CommandLineTests
{
    [Fact]
    public async Task ImportPrintsTheIssueIdAndPaperCount()
    {
        using var cli = new CliRunner();
        var (exit, output, _) = await cli.RunAsync("import", CliRunner.Sample);

        Assert.Equal(0, exit);
        Assert.StartsWith("imported issue 1 (14 papers)", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ImportingTheSameDigestTwiceNamesTheExistingIssue()
    {
        using var cli = new CliRunner();
        await cli.RunAsync("import", CliRunner.Sample);
        var (exit, output, _) = await cli.RunAsync("import", CliRunner.Sample);

        Assert.Equal(0, exit);
        Assert.StartsWith("already imported as issue 1", output, StringComparison.Ordinal);
        Assert.Contains("   1  draft", (await cli.RunAsync("issues")).Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ABrokenSectionExitsNonZeroNamesTheLineAndLeavesTheDatabaseAsItWas()
    {
        using var cli = new CliRunner();
        await cli.RunAsync("import", CliRunner.Sample);
        var broken = File.ReadAllText(CliRunner.Sample)
            .Replace("超越 Transformer", "超越 RNN", StringComparison.Ordinal)
            .Replace("论文链接:\nhttps://arxiv.org/abs/2404.07979", "论文链接:", StringComparison.Ordinal);

        var (exit, output, error) = await cli.RunAsync("import", cli.Write("broken.txt", broken));

        Assert.Equal(1, exit);
        Assert.Equal("", output);
        Assert.Matches(@"^import: .*broken\.txt: line \d+: .*; nothing imported\s*$", error);
        var issues = (await cli.RunAsync("issues")).Out;
        Assert.DoesNotContain("   2  ", issues, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "import", "/nonexistent/digest.txt" }, 1, "does not exist")]
    [InlineData(new[] { "import" }, 2, "usage: import FILE")]
    [InlineData(new[] { "publish", "9" }, 1, "there is no issue 9")]
    [InlineData(new[] { "publish", "x" }, 2, "usage: publish ISSUE")]
    [InlineData(new[] { "publish", "1", "--at", "tomorrow" }, 2, "not a time")]
    [InlineData(new[] { "topics", "set", "1", "4", "astrology" }, 1, "unknown topic 'astrology'")]
    [InlineData(new[] { "subscribers", "--status", "sleepy" }, 2, "unknown status 'sleepy'")]
    [InlineData(new[] { "broadcast" }, 2, "--text is required")]
    [InlineData(new[] { "issues", "--all" }, 2, "issues: unknown option --all; usage: issues")]
    [InlineData(new[] { "stats", "1" }, 2, "stats: unexpected argument '1'; usage: stats")]
    [InlineData(new[] { "publish", "1", "2" }, 2, "publish: unexpected argument '2'")]
    [InlineData(new[] { "publish", "1", "--next=soon" }, 2, "publish: --next takes no value")]
    [InlineData(new[] { "publish", "1", "--at", "2099-01-05 09:00", "--next" }, 2, "publish: give at most one of --at, --next and --unschedule")]
    [InlineData(new[] { "subscribers", "--limit", "5", "--limit", "6" }, 2, "subscribers: --limit is given twice")]
    public async Task BadInputExitsNonZeroWithOneLine(string[] args, int expectedExit, string message)
    {
        using var cli = new CliRunner();
        await cli.RunAsync("import", CliRunner.Sample);
        var (exit, _, error) = await cli.RunAsync(args);

        Assert.Equal(expectedExit, exit);
        Assert.Contains(message, error, StringComparison.Ordinal);
        Assert.Single(error.Trim().Split('\n'));
    }

    [Theory]
    [InlineData("--dry-run")]
    [InlineData("--unschedul")]
    [InlineData("-next")]
    public async Task AnOptionPublishDoesNotKnowIsRefusedAndPublishesNothing(string option)
    {
        using var cli = new CliRunner();
        await cli.RunAsync("import", CliRunner.Sample);

        var (exit, output, error) = await cli.RunAsync("publish", "1", option);

        Assert.Equal(2, exit);
        Assert.Equal("", output);
        Assert.StartsWith("publish: ", error, StringComparison.Ordinal);
        Assert.Contains("   1  draft", (await cli.RunAsync("issues")).Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2099-01-05T09:00:00.000")]
    [InlineData("2099-01-05T09:00:00.0000000")]
    public async Task PublishAtAnIsoTimeWithoutAnOffsetIsRefusedRatherThanReadInTheMachinesZone(string at)
    {
        using var cli = new CliRunner();
        await cli.RunAsync("import", CliRunner.Sample);

        var (exit, _, error) = await cli.RunAsync("publish", "1", "--at", at);

        Assert.Equal(2, exit);
        Assert.Contains($"'{at}' is not a time; use 'yyyy-MM-dd HH:mm' (in Asia/Shanghai) or ISO 8601 with an offset", error, StringComparison.Ordinal);
        Assert.Contains("   1  draft", (await cli.RunAsync("issues")).Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PublishMarksTheIssuePublished()
    {
        using var cli = new CliRunner();
        await cli.RunAsync("import", CliRunner.Sample);
        var (exit, output, _) = await cli.RunAsync("publish", "1");

        Assert.Equal(0, exit);
        Assert.StartsWith("published issue 1: 0 deliveries queued", output, StringComparison.Ordinal);
        Assert.Contains("published", (await cli.RunAsync("issues")).Out, StringComparison.Ordinal);
        Assert.Equal(1, (await cli.RunAsync("publish", "1")).Exit);
    }

    [Fact]
    public async Task PublishAtSchedulesInTheScheduleTimeZone()
    {
        using var cli = new CliRunner();
        await cli.RunAsync("import", CliRunner.Sample);
        var (exit, output, _) = await cli.RunAsync("publish", "1", "--at", "2099-01-05 09:00");

        Assert.Equal(0, exit);
        Assert.Equal("issue 1 will be published at 2099-01-05 01:00 UTC", output.Trim());
        Assert.Contains("scheduled", (await cli.RunAsync("issues")).Out, StringComparison.Ordinal);
        Assert.Equal("issue 1 is a draft again", (await cli.RunAsync("publish", "1", "--unschedule")).Out.Trim());
    }

    [Fact]
    public async Task TopicsSetCorrectsOnePaper()
    {
        using var cli = new CliRunner();
        await cli.RunAsync("import", CliRunner.Sample);
        // Paper 4 is tagged reasoning and data-efficiency: setting what it has corrects nothing and marks nothing.
        Assert.Equal("issue 1 paper 4: unchanged (reasoning, data-efficiency)", (await cli.RunAsync("topics", "set", "1", "4", "data-efficiency,reasoning")).Out.Trim());
        Assert.DoesNotContain("*", (await cli.RunAsync("topics", "1")).Out, StringComparison.Ordinal);
        Assert.Equal("issue 1 paper 4: reasoning", (await cli.RunAsync("topics", "set", "1", "4", "reasoning")).Out.Trim());
        var paper4 = (await cli.RunAsync("topics", "1")).Out.Split('\n').Single(l => l.TrimStart().StartsWith("4 ", StringComparison.Ordinal));
        // The star marks a corrected paper: re-imports and 'topics retag' keep its topics.
        Assert.Matches(@"^\s*4\s+reasoning \*", paper4);
        // The tagger learnt from the correction, so other papers may be tagged differently; paper 4 keeps its topics.
        Assert.Matches(@"^issue 1: \d+ papers tagged differently; corrected papers kept$", (await cli.RunAsync("topics", "retag", "1")).Out.Trim());
        Assert.Matches(@"^\s*4\s+reasoning \*", (await cli.RunAsync("topics", "1")).Out.Split('\n').Single(l => l.TrimStart().StartsWith("4 ", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task ConfigPrintsSettingsWithSecretsRedacted()
    {
        using var cli = new CliRunner(new Dictionary<string, string?>
        {
            ["Telegram:BotToken"] = "123456:TOPSECRET",
            ["WeChat:EncodingAesKey"] = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG",
            ["Admin:Password"] = "hunter2",
        });
        var (exit, output, _) = await cli.RunAsync("config");

        Assert.Equal(0, exit);
        Assert.Contains("Telegram:BotToken = (set, redacted)", output, StringComparison.Ordinal);
        Assert.Contains("Schedule:WeeklyCron = 0 0 9 ? * MON", output, StringComparison.Ordinal);
        Assert.Contains("Retention:Days = 90", output, StringComparison.Ordinal);
        Assert.Contains("Arxiv:Enabled = false", output, StringComparison.Ordinal);
        Assert.DoesNotContain("TOPSECRET", output, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", output, StringComparison.Ordinal);
        Assert.DoesNotContain("abcdefghijklmnop", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AWrongSettingStopsTheVerbNamingTheKey()
    {
        using var cli = new CliRunner(new Dictionary<string, string?> { ["Schedule:TimeZone"] = "Mars/Olympus" });
        var (exit, _, error) = await cli.RunAsync("issues");

        Assert.Equal(2, exit);
        Assert.Equal("configuration: Schedule:TimeZone 'Mars/Olympus' is not a known time zone id (e.g. Asia/Shanghai, Europe/Berlin, UTC)", error.Trim());
    }

    [Theory]
    [InlineData("Sqlite", "Data Sourc=paperbot.db",
        "configuration: ConnectionStrings:PaperBot is not a Sqlite connection string: Connection string keyword 'data sourc' is not supported.")]
    [InlineData("Postgres", "Host=127.0.0.1;Port=1;Username=paperbot;Password=hunter2;Database=paperbot",
        "configuration: ConnectionStrings:PaperBot: the database cannot be used: Failed to connect to 127.0.0.1:1")]
    public async Task ADatabaseThatCannotBeUsedStopsTheVerbWithOneLineNamingTheSetting(string provider, string connectionString, string line)
    {
        using var cli = new CliRunner(new Dictionary<string, string?> { ["Storage:Provider"] = provider, ["ConnectionStrings:PaperBot"] = connectionString });

        var (exit, _, error) = await cli.RunAsync("issues");

        Assert.Equal(2, exit);
        Assert.StartsWith(line, error.Trim(), StringComparison.Ordinal);
        Assert.Single(error.Trim().Split('\n'));
        Assert.DoesNotContain("hunter2", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StatsAndSubscribersWorkOnAnEmptyDatabase()
    {
        using var cli = new CliRunner();
        Assert.Contains("Subscribers: 0 active", (await cli.RunAsync("stats")).Out, StringComparison.Ordinal);
        Assert.Contains("0 of 0 shown", (await cli.RunAsync("subscribers")).Out, StringComparison.Ordinal);
        Assert.Contains("migrations applied", (await cli.RunAsync("migrate")).Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HelpListsEveryVerb()
    {
        using var cli = new CliRunner();
        var (exit, output, _) = await cli.RunAsync("--help");
        Assert.Equal(0, exit);
        foreach (var verb in new[] { "import", "issues", "article", "topics", "publish", "resend", "broadcast", "subscribers", "stats", "migrate", "config" })
            Assert.Contains($"  {verb}", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AVerbWithAMissingFilePrintsOnlyItsOwnLineAndCreatesNoDatabase()
    {
        await using var process = HostProcess.Start(args: ["import", "nofile.txt"]);

        Assert.Equal(1, await process.WaitForExitAsync(TimeSpan.FromMinutes(1)));
        Assert.Equal("", process.Output);
        Assert.Equal("import: file 'nofile.txt' does not exist", process.Error.Trim());
        Assert.False(System.IO.Directory.Exists(Path.Combine(process.WorkingDirectory, "data")));
    }

    [Fact]
    public async Task AVerbPrintsNoHostLogLinesWhenItSucceeds()
    {
        await using var process = HostProcess.Start(args: ["import", CliRunner.Sample]);

        Assert.Equal(0, await process.WaitForExitAsync(TimeSpan.FromMinutes(1)));
        Assert.Equal("imported issue 1 (14 papers) as a draft; publish it with: publish 1", process.Output.Trim());
        Assert.Equal("", process.Error);
    }

    [Fact]
    public async Task BadArgumentsTouchNoDatabase()
    {
        using var cli = new CliRunner();
        Assert.Equal(2, (await cli.RunAsync("publish", "x")).Exit);
        Assert.Equal(2, (await cli.RunAsync("subscribers", "--limit", "0")).Exit);
        Assert.Equal(1, (await cli.RunAsync("import", "/nonexistent/digest.txt")).Exit);

        Assert.False(File.Exists(Path.Combine(cli.Directory, "paperbot.db")));
    }

    [Theory]
    [InlineData("2027-03-28 02:30", "2027-03-28 02:30 does not exist in Europe/Berlin: the clocks skip it when daylight saving time begins")]
    [InlineData("2027-10-31 02:30", "2027-10-31 02:30 happens twice in Europe/Berlin as daylight saving time ends, first at +02:00 and then at +01:00; give it in ISO 8601 with the offset you mean")]
    public async Task PublishAtALocalTimeThatDoesNotExistOrHappensTwiceIsRefusedWithTheReason(string at, string reason)
    {
        using var cli = new CliRunner(new Dictionary<string, string?> { ["Schedule:TimeZone"] = "Europe/Berlin" });
        await cli.RunAsync("import", CliRunner.Sample);

        var (exit, _, error) = await cli.RunAsync("publish", "1", "--at", at);

        Assert.Equal(2, exit);
        Assert.Equal($"publish: {reason}; usage: publish ISSUE [--at TIME | --next | --unschedule]", error.Trim());
        Assert.Contains("   1  draft", (await cli.RunAsync("issues")).Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PublishAtAnOffsetOnTheAmbiguousHourIsTaken()
    {
        using var cli = new CliRunner(new Dictionary<string, string?> { ["Schedule:TimeZone"] = "Europe/Berlin" });
        await cli.RunAsync("import", CliRunner.Sample);

        var (exit, output, _) = await cli.RunAsync("publish", "1", "--at", "2027-10-31T02:30+01:00");

        Assert.Equal(0, exit);
        Assert.Equal("issue 1 will be published at 2027-10-31 01:30 UTC", output.Trim());
    }
}
