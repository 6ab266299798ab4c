using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PaperBot.Core.Issues;
using PaperBot.Core.Publishing;
using PaperBot.Core.Sending;
using PaperBot.Core.Subscribers;
using PaperBot.TestServices;
using PaperBot.Tests.Channels.Telegram;
using PaperBot.Tests.Cli;

namespace PaperBot.Tests.Sending;

/// <summary>
/// The push against a Bot API that misbehaves by itself — latency, 502s, answers lost after executing, a revoked token —
/// and a host stopped or killed mid-push: what docs/delivery.md promises, counted at the fake.
/// </summary>
[Collection(RunsAlone.Name)]
public sealed class DeliveryFaultTests
{
    private static string NextWeek => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "samples", "digest-sample.txt")).Replace("超越 Transformer", "超越 RNN", StringComparison.Ordinal);

    private static List<BotCall> Digests(IReadOnlyList<BotCall> calls) =>
        calls.Where(c => c.Method == "sendMessage" && c.MessageId is not null && c.Text.Contains("📬", StringComparison.Ordinal)).ToList();

    private static async Task<int> PublishNextWeekAsync(PaperBotApp app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var imported = Assert.IsType<ImportOutcome.Imported>(await scope.ServiceProvider.GetRequiredService<IssueImporter>().ImportAsync(NextWeek, null, "test", CancellationToken.None));
        var published = Assert.IsType<PublishOutcome.Published>(await scope.ServiceProvider.GetRequiredService<IssuePublisher>().PublishAsync(imported.IssueId, "test", CancellationToken.None));
        return published.PushId;
    }

    private static Task<bool> CompletedAsync(PaperBotApp app, int pushId) =>
        app.QueryAsync(db => db.Pushes.AnyAsync(p => p.Id == pushId && p.CompletedAt != null));

    [Fact]
    public async Task AFlakyBotApiLosesNobodyAndSendsAtMostOneExtraCopyForEachLostAnswer()
    {
        const int Audience = 1_000;
        const long FirstChat = 3_000_000;
        await using var host = await TelegramHost.StartAsync(Receiving.Webhook, new Dictionary<string, string?>
        {
            ["Telegram:AllowPaidBroadcast"] = "true",
            ["Delivery:MessagesPerSecond"] = "200",
            ["Delivery:RetryDelay"] = "00:00:00.200",
        });
        await SubscriberSeed.InsertAsync(host.App.DatabasePath, FirstChat, Audience);
        var faults = new FaultPlan(lostAnswers: 0.03, badGateways: 0.03, resets: 0, TimeSpan.FromMilliseconds(40), TimeSpan.FromMilliseconds(20));
        host.Api.Faults = faults;

        var pushId = await PublishNextWeekAsync(host.App);
        await Eventually.AssertAsync(() => CompletedAsync(host.App, pushId), "the push to complete", TimeSpan.FromSeconds(90));

        var copies = Digests(host.Api.Calls).GroupBy(c => c.ChatId).ToDictionary(g => g.Key!, g => g.Count());
        Assert.Equal(Audience, copies.Count);
        Assert.True(copies.Values.Max() <= 2, $"a chat got {copies.Values.Max()} copies");
        var twice = copies.Values.Count(c => c == 2);
        Assert.True(twice <= faults.Injected(FaultKind.LostAnswer), $"{twice} chats got two copies; {faults.Injected(FaultKind.LostAnswer)} answers were lost");
        Assert.True(faults.Injected(FaultKind.LostAnswer) >= 10 && faults.Injected(FaultKind.BadGateway) >= 10, "the fake injected its faults");
        Assert.Empty(host.Api.FloodRefusals);
    }

    [Fact]
    public async Task ARevokedTokenMidPushFailsNobodyAndThePushCompletesOnceTheTokenWorksAgain()
    {
        const int Audience = 60;
        await using var host = await TelegramHost.StartAsync(Receiving.Webhook, new Dictionary<string, string?>
        {
            ["Delivery:MessagesPerSecond"] = "20",
            ["Delivery:ProbeInterval"] = "00:00:01",
            ["Admin:Password"] = Admin.AdminSession.Password,
        });
        await SubscriberSeed.InsertAsync(host.App.DatabasePath, 4_000_000, Audience);
        var admin = Admin.AdminSession.For(host.App);
        await admin.LogInAsync();

        var pushId = await PublishNextWeekAsync(host.App);
        await host.Api.WaitForAsync(calls => Digests(calls).Count >= 15, "a quarter of the push");
        host.Api.TokenRevoked = true;
        await Eventually.AssertAsync(
            () => host.App.QueryAsync(db => db.ChannelThrottles.AnyAsync(t => t.Channel == Channel.Telegram && t.DownSince != null)), "the channel to be marked down");
        var reason = await host.App.QueryAsync(db => db.ChannelThrottles.Where(t => t.Channel == Channel.Telegram).Select(t => t.DownReason).SingleAsync());
        Assert.Contains("check Telegram__BotToken", reason, StringComparison.Ordinal);
        Assert.Contains("Telegram is down", await admin.Client.GetStringAsync("/admin"), StringComparison.Ordinal);
        Assert.Equal(0, await host.App.QueryAsync(db => db.Deliveries.CountAsync(d => d.PushId == pushId && d.Status == DeliveryStatus.Failed)));

        host.Api.TokenRevoked = false;
        await Eventually.AssertAsync(() => CompletedAsync(host.App, pushId), "the push to complete", TimeSpan.FromSeconds(60));

        var copies = Digests(host.Api.Calls).GroupBy(c => c.ChatId).ToDictionary(g => g.Key!, g => g.Count());
        Assert.Equal(Audience, copies.Count);
        Assert.All(copies.Values, c => Assert.Equal(1, c));
        Assert.Equal(Audience, await host.App.QueryAsync(db => db.Deliveries.CountAsync(d => d.PushId == pushId && d.Status == DeliveryStatus.Sent)));
    }

    [Fact]
    public async Task AHostStoppedMidPushAndStartedAgainSendsNobodyTwice()
    {
        const int Audience = 100;
        await using var api = await FakeBotApi.StartAsync();
        var directory = Directory.CreateTempSubdirectory("paperbot-sigterm-").FullName;
        var environment = Environment(api);
        var database = Path.Combine(directory, "data", "paperbot.db");
        try
        {
            await using (var first = HostProcess.Start(environment, directory))
            {
                Assert.True(await first.WaitForHealthyAsync(TimeSpan.FromSeconds(60)), first.Error);
                await SeedAndPublishAsync(directory, database, Audience);
                await api.WaitForAsync(calls => Digests(calls).Count >= 30, "a third of the push", TimeSpan.FromSeconds(30));
                first.Terminate();
                Assert.Equal(0, await first.WaitForExitAsync(TimeSpan.FromSeconds(60)));
            }

            await using var second = HostProcess.Start(environment, directory);
            await api.WaitForAsync(calls => Digests(calls).Select(c => c.ChatId).Distinct().Count() == Audience, "every subscriber to get the issue", TimeSpan.FromSeconds(60));

            var copies = Digests(api.Calls).GroupBy(c => c.ChatId).ToDictionary(g => g.Key!, g => g.Count());
            Assert.Equal(Audience, copies.Count);
            Assert.All(copies.Values, c => Assert.Equal(1, c));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    [SkippableTheory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task AfterAKillASingleInstanceAnswersReadersAndFinishesThePush(string provider)
    {
        const int Audience = 100;
        const long Reader = 77;
        await using var api = await FakeBotApi.StartAsync();
        await using var postgres = provider == "Postgres" ? await PostgresDatabase.CreateAsync() : null;
        var directory = Directory.CreateTempSubdirectory("paperbot-kill-").FullName;
        var environment = Environment(api, polling: true);
        var database = Path.Combine(directory, "data", "paperbot.db");
        if (postgres is not null)
        {
            environment["Storage__Provider"] = "Postgres";
            environment["ConnectionStrings__PaperBot"] = postgres.ConnectionString;
        }

        try
        {
            await using (var first = HostProcess.Start(environment, directory))
            {
                Assert.True(await first.WaitForHealthyAsync(TimeSpan.FromSeconds(60)), first.Error);
                await SeedAndPublishAsync(directory, database, Audience, postgres?.ConnectionString);
                await api.WaitForAsync(calls => Digests(calls).Count >= 30, "a third of the push", TimeSpan.FromSeconds(30));
                first.Kill();
                await first.WaitForExitAsync(TimeSpan.FromSeconds(30));
            }

            var beforeRestart = Digests(api.Calls).Count;
            var recordedBeforeRestart = postgres is null ? await SubscriberSeed.SentChatsAsync(database) : await SubscriberSeed.SentChatsPostgresAsync(postgres.ConnectionString);
            var reachedButUnrecorded = Digests(api.Calls).Select(c => c.ChatId!).Where(chat => !recordedBeforeRestart.Contains(chat)).ToHashSet();
            await using var second = HostProcess.Start(environment, directory);
            Assert.True(await second.WaitForHealthyAsync(TimeSpan.FromSeconds(60)), second.Error);
            api.Enqueue(UpdateJson.Text(Reader, "/paper 4"));
            var answer = await api.WaitForMessageAsync(Reader, c => c.Text.Contains("Rho-1", StringComparison.Ordinal), "the answer to /paper 4 after the restart");
            Assert.Contains("Rho-1", answer.Text, StringComparison.Ordinal);
            await api.WaitForAsync(calls => Digests(calls).Select(c => c.ChatId).Distinct().Count() == Audience, "every subscriber to get the issue", TimeSpan.FromSeconds(60));

            var copies = Digests(api.Calls).GroupBy(c => c.ChatId).ToDictionary(g => g.Key!, g => g.Count());
            Assert.Equal(Audience, copies.Count);
            Assert.True(Digests(api.Calls).Count > beforeRestart);
            // Results were being recorded as the push went, not only at its end...
            Assert.NotEmpty(recordedBeforeRestart);
            // ...so only a chat the dead process reached without recording it (its send in flight or its result not yet
            // written) may get a second copy, and never a third.
            var twice = copies.Where(c => c.Value > 1).Select(c => c.Key).ToList();
            Assert.All(copies.Values, c => Assert.InRange(c, 1, 2));
            Assert.Empty(twice.Except(reachedButUnrecorded));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    private static Dictionary<string, string> Environment(FakeBotApi api, bool polling = false)
    {
        var environment = new Dictionary<string, string>
        {
            ["Telegram__BotToken"] = FakeBotApi.Token,
            ["Telegram__ApiBaseUrl"] = api.BaseUrl.ToString(),
            ["Telegram__PollingTimeoutSeconds"] = "1",
            ["Delivery__MessagesPerSecond"] = "20",
        };
        if (!polling)
        {
            environment["Telegram__WebhookUrl"] = "http://127.0.0.1/telegram/webhook";
            environment["Telegram__WebhookSecret"] = "fault-secret";
        }

        return environment;
    }

    private static async Task SeedAndPublishAsync(string directory, string database, int audience, string? postgres = null)
    {
        if (postgres is null)
            await SubscriberSeed.InsertAsync(database, 10_000, audience);
        else
            await SubscriberSeed.InsertPostgresAsync(postgres, 10_000, audience);
        var cli = postgres is null
            ? new Dictionary<string, string?> { ["ConnectionStrings:PaperBot"] = $"Data Source={database}" }
            : new Dictionary<string, string?> { ["Storage:Provider"] = "Postgres", ["ConnectionStrings:PaperBot"] = postgres };
        var nextWeek = Path.Combine(directory, "next-week.txt");
        await File.WriteAllTextAsync(nextWeek, NextWeek);
        Assert.Equal(0, (await CliRunner.RunInAsync(cli, "import", nextWeek)).Exit);
        Assert.Equal(0, (await CliRunner.RunInAsync(cli, "publish", "2")).Exit);
    }
}
