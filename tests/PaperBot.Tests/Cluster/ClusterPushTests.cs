using PaperBot.Tests.Channels.Telegram;
using PaperBot.Tests.Cli;
using PaperBot.Tests.Sending;
using PaperBot.TestServices;

namespace PaperBot.Tests.Cluster;

/// <summary>
/// Two instances of the program on one PostgreSQL database, pushing through one fake Bot API that enforces Telegram's
/// limits itself: two instances pacing on their own clocks would send at twice the rate, and the fake's 429s — which
/// fail the test when it is disposed — would say so.
/// </summary>
[Collection(RunsAlone.Name)]
public sealed class ClusterPushTests
{
    // Ten seconds of the shared 20 msg/s: two instances pacing on their own clocks meet the fake's 429 within the first.
    private const int Audience = 200;
    private const long FirstChat = 2_000_000;

    private static Dictionary<string, string> Environment(PostgresDatabase database, FakeBotApi api) => new()
    {
        ["Storage__Provider"] = "Postgres",
        ["ConnectionStrings__PaperBot"] = database.ConnectionString,
        ["Telegram__BotToken"] = FakeBotApi.Token,
        ["Telegram__ApiBaseUrl"] = api.BaseUrl.ToString(),
        ["Telegram__WebhookUrl"] = "http://127.0.0.1/telegram/webhook",
        ["Telegram__WebhookSecret"] = "cluster-secret",
        // Two thirds of Telegram's 30 msg/s: room for the bunching a loaded two-core machine adds between send and
        // arrival, while two instances pacing on their own clocks (40 msg/s) would still be refused by the fake.
        ["Delivery__MessagesPerSecond"] = "20",
        ["Delivery__ClaimLease"] = "00:00:05",
        ["Samples__ImportOnFirstStart"] = "false",
    };

    /// <summary>Starts two instances, seeds the audience and publishes an issue; returns once both are up.</summary>
    private static async Task<(HostProcess First, HostProcess Second)> StartClusterAndPublishAsync(PostgresDatabase database, FakeBotApi api)
    {
        var first = HostProcess.Start(Environment(database, api));
        Assert.True(await first.WaitForHealthyAsync(TimeSpan.FromSeconds(60)), first.Error);
        var second = HostProcess.Start(Environment(database, api));
        Assert.True(await second.WaitForHealthyAsync(TimeSpan.FromSeconds(60)), second.Error);

        await SubscriberSeed.InsertPostgresAsync(database.ConnectionString, FirstChat, Audience);
        var cli = new Dictionary<string, string?> { ["Storage:Provider"] = "Postgres", ["ConnectionStrings:PaperBot"] = database.ConnectionString };
        var digest = Path.Combine(first.WorkingDirectory, "digest.txt");
        await File.WriteAllTextAsync(digest, File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "samples", "digest-sample.txt")));
        Assert.Equal(0, (await CliRunner.RunInAsync(cli, "import", digest)).Exit);
        Assert.Equal(0, (await CliRunner.RunInAsync(cli, "publish", "1")).Exit);
        return (first, second);
    }

    /// <summary>Checks twice a second: scanning thousands of recorded calls more often would load the machine under test.</summary>
    /// <remarks>On a timeout, the message carries what the fake received and the instances' last log lines.</remarks>
    private static async Task WaitAsync(Func<Task<bool>> condition, string what, TimeSpan timeout, FakeBotApi api, params HostProcess[] instances)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
                Assert.Fail($"timed out waiting for {what}: {Digests(api.Calls).Count} digests sent\n" + string.Join("\n", instances.Select(Tail)));
            await Task.Delay(500);
        }
    }

    private static string Tail(HostProcess instance) =>
        $"--- instance {instance.Id} ---\n" + string.Join("\n", (instance.Output + instance.Error).Split('\n').TakeLast(40));

    private static List<BotCall> Digests(IReadOnlyList<BotCall> calls) =>
        calls.Where(c => c.Method == "sendMessage" && c.MessageId is not null && c.Text.Contains("📬", StringComparison.Ordinal)).ToList();

    [SkippableFact]
    public async Task TwoInstancesSendEverySubscriberTheIssueExactlyOnceWithinTelegramsLimits()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        await using var api = await FakeBotApi.StartAsync();
        var (first, second) = await StartClusterAndPublishAsync(database, api);
        await using (first)
        await using (second)
        {
            await WaitAsync(() => Task.FromResult(Digests(api.Calls).Count >= Audience), "every subscriber to get the issue", TimeSpan.FromSeconds(90), api, first, second);
            await Task.Delay(1000);
        }

        var digests = Digests(api.Calls);
        Assert.Equal(Audience, digests.Count);
        Assert.Equal(Audience, digests.Select(c => c.ChatId).Distinct().Count());

        Assert.Empty(api.FloodRefusals);
    }

    [SkippableFact]
    public async Task KillingOneInstanceMidPushLosesNoSubscriber()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        await using var api = await FakeBotApi.StartAsync();
        var (first, second) = await StartClusterAndPublishAsync(database, api);
        HashSet<string> reachedButUnrecorded;
        await using (second)
        {
            await using (first)
            {
                await WaitAsync(() => Task.FromResult(Digests(api.Calls).Count >= Audience / 4), "a quarter of the push", TimeSpan.FromSeconds(60), api, first, second);
                first.Kill();
                await first.WaitForExitAsync(TimeSpan.FromSeconds(30));
            }

            // Read before the dead instance's claim (five seconds) runs out and the survivor sends its chats again.
            var reachedAtKill = Digests(api.Calls).Select(c => c.ChatId!).ToHashSet();
            var recordedAtKill = await SubscriberSeed.SentChatsPostgresAsync(database.ConnectionString);
            reachedButUnrecorded = reachedAtKill.Where(chat => !recordedAtKill.Contains(chat)).ToHashSet();
            await WaitAsync(() => Task.FromResult(Digests(api.Calls).Select(c => c.ChatId).Distinct().Count() == Audience), "every subscriber to get the issue", TimeSpan.FromSeconds(90), api, second);
        }

        var perChat = Digests(api.Calls).GroupBy(c => c.ChatId).ToDictionary(g => g.Key!, g => g.Count());
        Assert.Equal(Audience, perChat.Count);
        // Only a chat reached without its result written when the instance died may get a second copy, never a third.
        Assert.All(perChat.Values, c => Assert.InRange(c, 1, 2));
        Assert.Empty(perChat.Where(c => c.Value > 1).Select(c => c.Key).Except(reachedButUnrecorded));
        Assert.Empty(api.FloodRefusals);
    }
}
