using Microsoft.Data.Sqlite;
using PaperBot.Tests.Channels.Telegram;
using PaperBot.Tests.Cli;

namespace PaperBot.Tests.Sending;

[Collection(RunsAlone.Name)]
public sealed class CrashRecoveryTests
{
    private const int Audience = 100;
    private const long FirstChat = 10_000;

    [Fact]
    public async Task AHostKilledMidPushFinishesItAfterRestartWithoutLosingAnyone()
    {
        await using var api = await FakeBotApi.StartAsync();
        var directory = Directory.CreateTempSubdirectory("paperbot-crash-").FullName;
        var environment = new Dictionary<string, string>
        {
            ["Telegram__BotToken"] = FakeBotApi.Token,
            ["Telegram__ApiBaseUrl"] = api.BaseUrl.ToString(),
            ["Telegram__PollingTimeoutSeconds"] = "1",
            ["Delivery__MessagesPerSecond"] = "20",
        };
        var database = Path.Combine(directory, "data", "paperbot.db");
        try
        {
            await using (var first = HostProcess.Start(environment, directory))
            {
                Assert.True(await first.WaitForHealthyAsync(TimeSpan.FromSeconds(30)), first.Error);
                await SubscriberSeed.InsertAsync(database, FirstChat, Audience);
                var cli = new Dictionary<string, string?> { ["ConnectionStrings:PaperBot"] = $"Data Source={database}" };
                var nextWeek = Path.Combine(directory, "next-week.txt");
                await File.WriteAllTextAsync(nextWeek, File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "samples", "digest-sample.txt")).Replace("超越 Transformer", "超越 RNN", StringComparison.Ordinal));
                Assert.Equal(0, (await CliRunner.RunInAsync(cli, "import", nextWeek)).Exit);
                Assert.Equal(0, (await CliRunner.RunInAsync(cli, "publish", "2")).Exit);

                await api.WaitForAsync(calls => Digests(calls).Count >= 30, "a third of the push", TimeSpan.FromSeconds(30));
                first.Kill();
            }

            var beforeRestart = Digests(api.Calls).Count;
            Assert.InRange(beforeRestart, 30, Audience - 1);

            await using var second = HostProcess.Start(environment, directory);
            await api.WaitForAsync(calls => Digests(calls).Select(c => c.ChatId).Distinct().Count() == Audience, "every subscriber to get the issue", TimeSpan.FromSeconds(60));

            var perChat = Digests(api.Calls).GroupBy(c => c.ChatId).ToDictionary(g => g.Key!, g => g.Count());
            Assert.Equal(Audience, perChat.Count);
            // Only what was in flight when the process died may go out twice: at 20 msg/s and a result flush every
            // 250 ms, a handful of messages.
            Assert.InRange(perChat.Values.Sum() - Audience, 0, 10);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    private static List<BotCall> Digests(IReadOnlyList<BotCall> calls) =>
        calls.Where(c => c.Method == "sendMessage" && c.MessageId is not null && c.Text.Contains("📬", StringComparison.Ordinal)).ToList();
}
