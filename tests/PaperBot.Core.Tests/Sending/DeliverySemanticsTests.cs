using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using PaperBot.Core.Data;
using PaperBot.Core.Issues;
using PaperBot.Core.Publishing;
using PaperBot.Core.Sending;
using PaperBot.Core.Subscribers;
using PaperBot.TestServices;

namespace PaperBot.Core.Tests.Sending;

/// <summary>What docs/delivery.md promises for each outcome a channel reports, on both providers.</summary>
public class DeliverySemanticsTests : StorageTests
{
    private static readonly Dictionary<string, string?> Fast = new()
    {
        ["Delivery:MessagesPerSecond"] = "0",
        ["Delivery:RetryDelay"] = "00:00:00.100",
        ["Delivery:ProbeInterval"] = "00:00:01",
        ["Delivery:ChannelDownAfter"] = "3",
    };

    private static async Task<int> PublishNextWeekAsync(CoreHarness harness)
    {
        var text = TestFiles.SampleText.Replace("超越 Transformer", "超越 RNN", StringComparison.Ordinal);
        var imported = Assert.IsType<ImportOutcome.Imported>(await harness.UseAsync<IssueImporter, ImportOutcome>(i => i.ImportAsync(text, null, "test", CancellationToken.None)));
        var published = Assert.IsType<PublishOutcome.Published>(await harness.UseAsync<IssuePublisher, PublishOutcome>(p => p.PublishAsync(imported.IssueId, "test", CancellationToken.None)));
        return published.PushId;
    }

    private async Task<CoreHarness> WithSubscribersAsync(RecordingSender sender, Dictionary<string, string?>? settings = null, params string[] users)
    {
        var harness = await StartAsync(settings: settings ?? Fast, senders: sender);
        foreach (var user in users)
            await harness.SendAsync("/start", user: user);
        return harness;
    }

    private static Task<Delivery> DeliveryAsync(CoreHarness harness, int pushId, string chat) =>
        harness.QueryAsync(db => db.Deliveries.AsNoTracking().Where(d => d.PushId == pushId).To(db, chat).SingleAsync());

    [SkippableFact]
    public async Task ASendThatMayHaveArrivedIsSentAgainOnceAndThenFailsWithoutAThirdCopy()
    {
        var sender = new RecordingSender();
        sender.Script("twice", new SendOutcome.Ambiguous("timeout"), new SendOutcome.Ambiguous("timeout"));
        sender.Script("once", new SendOutcome.Ambiguous("connection reset after the request"));
        await using var harness = await WithSubscribersAsync(sender, users: ["twice", "once"]);

        var pushId = await PublishNextWeekAsync(harness);
        await harness.WaitForDeliveriesAsync();

        Assert.Equal(2, sender.Attempts.Count(a => a == "twice"));
        Assert.Equal(2, sender.Attempts.Count(a => a == "once"));
        var twice = await DeliveryAsync(harness, pushId, "twice");
        Assert.Equal(DeliveryStatus.Failed, twice.Status);
        Assert.Equal("no answer from the channel 2 times; it may have arrived: timeout", twice.LastError);
        Assert.Equal(DeliveryStatus.Sent, (await DeliveryAsync(harness, pushId, "once")).Status);
    }

    [SkippableFact]
    public async Task AResendStartsAtTheFirstPartNotDelivered()
    {
        var sender = new RecordingSender();
        sender.ScriptResults("split", new SendResult(new SendOutcome.Transient("HTTP 502"), PartsDelivered: 2));
        await using var harness = await WithSubscribersAsync(sender, users: ["split"]);

        var pushId = await PublishNextWeekAsync(harness);
        await harness.WaitForDeliveriesAsync();

        Assert.Equal([("split", 0), ("split", 2)], sender.Calls.ToArray());
        var delivery = await DeliveryAsync(harness, pushId, "split");
        Assert.Equal(DeliveryStatus.Sent, delivery.Status);
        Assert.Equal(2, delivery.Attempts);
    }

    [SkippableFact]
    public async Task AGroupsRateLimitRetriesThatChatWithoutCountingAnAttemptOrPausingOthers()
    {
        var sender = new RecordingSender();
        sender.Script("-42", new SendOutcome.RetryAfter(TimeSpan.FromMilliseconds(300), RetryScope.Chat, "429 Too Many Requests: retry after 1"));
        await using var harness = await WithSubscribersAsync(sender, users: ["-42", "7"]);

        var pushId = await PublishNextWeekAsync(harness);
        await harness.WaitForDeliveriesAsync();

        var group = await DeliveryAsync(harness, pushId, "-42");
        Assert.Equal(DeliveryStatus.Sent, group.Status);
        Assert.Equal(1, group.Attempts);
        Assert.Null(await harness.QueryAsync(db => db.ChannelThrottles.Where(t => t.Channel == Channel.Telegram).Select(t => t.PausedUntil).SingleAsync()));
    }

    [SkippableFact]
    public async Task AChannelThatIsDownFailsNobodyAndTheProbeResumesThePush()
    {
        var sender = new RecordingSender();
        sender.Script("a", new SendOutcome.ChannelDown("the Bot API refused the token (401 Unauthorized); check Telegram__BotToken"),
            new SendOutcome.ChannelDown("401 Unauthorized"), new SendOutcome.ChannelDown("401 Unauthorized"));
        await using var harness = await WithSubscribersAsync(sender, users: ["a", "b", "c"]);

        var pushId = await PublishNextWeekAsync(harness);
        await Eventually.AssertAsync(
            () => harness.QueryAsync(db => db.ChannelThrottles.AnyAsync(t => t.Channel == Channel.Telegram && t.DownSince != null)), "the channel to go down");
        Assert.Equal(0, await harness.QueryAsync(db => db.Deliveries.CountAsync(d => d.PushId == pushId && d.Status == DeliveryStatus.Failed)));

        await harness.WaitForDeliveriesAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(["a", "b", "c"], sender.SentTo.Order());
        Assert.Equal(0, (await DeliveryAsync(harness, pushId, "a")).Attempts - 1);
        // The probe's success marks the channel up on every instance in the background, beside recording the result.
        await Eventually.AssertAsync(
            () => harness.QueryAsync(db => db.ChannelThrottles.AnyAsync(t => t.Channel == Channel.Telegram && t.DownSince == null)), "the channel to be up again");
    }

    // The channel is down when the bot starts, so it is probed at once; the probe interval is long, and the push must go
    // on as soon as the probe gets through, not when the next probe would have been due.
    [SkippableFact]
    public async Task APushGoesOnAsSoonAsAProbeGetsThroughNotAtTheNextProbe()
    {
        var sender = new RecordingSender();
        await WithTheChannelDownAtStartAsync(sender, async harness =>
        {
            await harness.WaitForDeliveriesAsync(TimeSpan.FromSeconds(10));
            Assert.Equal(["a", "b", "c"], sender.SentTo.Order());
        }, "a", "b", "c");
    }

    // A probe answered "blocked by the user" reached the platform just as well as one that was delivered.
    [SkippableFact]
    public async Task AProbeAnsweredThatItsChatIsGoneBringsTheChannelBack()
    {
        var sender = new RecordingSender();
        sender.Script("a", new SendOutcome.ChatGone("403 Forbidden: bot was blocked by the user"));
        await WithTheChannelDownAtStartAsync(sender, async harness =>
        {
            await harness.WaitForDeliveriesAsync(TimeSpan.FromSeconds(10));
            Assert.Equal(["b", "c"], sender.SentTo.Order());
            Assert.Equal(["a", "b", "c"], sender.Attempts.Order());
        }, "a", "b", "c");
    }

    /// <summary>Queues a push to <paramref name="users"/> with the channel down, then starts the sending engine on that database.</summary>
    private async Task WithTheChannelDownAtStartAsync(RecordingSender sender, Func<CoreHarness, Task> then, params string[] users)
    {
        var directory = Directory.CreateTempSubdirectory("paperbot-down-").FullName;
        await using var postgres = Provider == StorageOptions.Postgres ? await PostgresDatabase.CreateAsync() : null;
        var settings = new Dictionary<string, string?>(Fast)
        {
            ["ConnectionStrings:PaperBot"] = postgres?.ConnectionString ?? $"Data Source={Path.Combine(directory, "paperbot.db")}",
            ["Delivery:ProbeInterval"] = "00:00:30",
        };
        try
        {
            await using (var queuing = await CoreHarness.StartAsync(settings: settings, provider: Provider))
            {
                foreach (var user in users)
                    await queuing.SendAsync("/start", user: user);
                await PublishNextWeekAsync(queuing);
                await queuing.UseAsync<ChannelHealth, bool>(async health =>
                {
                    await health.MarkDownAsync(Channel.Telegram, "10 sends in a row failed, the last with: HTTP 502 from the Bot API", CancellationToken.None);
                    return true;
                });
            }

            await using var harness = await CoreHarness.StartAsync(settings: settings, provider: Provider, senders: sender);
            await then(harness);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    [SkippableFact]
    public async Task ThePartsThatReachedTheChatBeforeTheChannelWentDownAreNotSentAgain()
    {
        var sender = new RecordingSender();
        sender.ScriptResults("split", new SendResult(new SendOutcome.ChannelDown("401 Unauthorized"), PartsDelivered: 1));
        await using var harness = await WithSubscribersAsync(sender, users: ["split"]);

        var pushId = await PublishNextWeekAsync(harness);
        await harness.WaitForDeliveriesAsync(TimeSpan.FromSeconds(30));

        Assert.Equal([("split", 0), ("split", 1)], sender.Calls.ToArray());
        Assert.Equal(DeliveryStatus.Sent, (await DeliveryAsync(harness, pushId, "split")).Status);
    }

    [SkippableFact]
    public async Task ASubscriberWhoLeavesBeforeTheirRetryGetsNothingMore()
    {
        var sender = new RecordingSender();
        sender.Script("leaver", new SendOutcome.Transient("HTTP 502"));
        await using var harness = await WithSubscribersAsync(sender, new Dictionary<string, string?>(Fast) { ["Delivery:RetryDelay"] = "00:00:02" }, "leaver", "stayer");

        var pushId = await PublishNextWeekAsync(harness);
        await Eventually.AssertAsync(async () => (await DeliveryAsync(harness, pushId, "leaver")).Attempts == 1, "the first send to fail");
        await harness.SendAsync("/unsubscribe", user: "leaver");
        await harness.WaitForDeliveriesAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(["leaver"], sender.Attempts.Where(a => a == "leaver"));
        Assert.Equal(["stayer"], sender.SentTo);
        var leaver = await DeliveryAsync(harness, pushId, "leaver");
        Assert.Equal(DeliveryStatus.Skipped, leaver.Status);
        Assert.Equal("the subscriber was no longer subscribed when its turn came", leaver.LastError);
        var tally = await harness.QueryAsync(db => db.PushTallies.AsNoTracking().SingleAsync(t => t.PushId == pushId));
        Assert.Equal((0, 1, 1, 0), (tally.Pending, tally.Sent, tally.Skipped, tally.Failed));
    }

    [SkippableFact]
    public async Task AResendReachesNobodyWhoHasUnsubscribedSince()
    {
        var sender = new RecordingSender();
        sender.Script("leaver", new SendOutcome.Transient("HTTP 502"));
        await using var harness = await WithSubscribersAsync(sender, new Dictionary<string, string?>(Fast) { ["Delivery:MaxAttempts"] = "1" }, "leaver", "stayer");
        var pushId = await PublishNextWeekAsync(harness);
        await harness.WaitForDeliveriesAsync();
        Assert.Equal(DeliveryStatus.Failed, (await DeliveryAsync(harness, pushId, "leaver")).Status);

        await harness.SendAsync("/unsubscribe", user: "leaver");
        var issueId = await harness.QueryAsync(db => db.Pushes.Where(p => p.Id == pushId).Select(p => p.IssueId!.Value).SingleAsync());
        Assert.IsType<ResendOutcome.Requeued>(await harness.UseAsync<Resender, ResendOutcome>(r => r.ResendAsync(issueId, "test", CancellationToken.None)));
        await harness.WaitForDeliveriesAsync();

        Assert.Equal(["leaver"], sender.Attempts.Where(a => a == "leaver"));
        Assert.Equal(DeliveryStatus.Skipped, (await DeliveryAsync(harness, pushId, "leaver")).Status);
    }

    [SkippableFact]
    public async Task SendsFailingInARowStopTheChannelBeforeTheyFailEveryone()
    {
        // Without the breaker, two attempts 100 ms apart during a three-second outage would fail all eight.
        var sender = new RecordingSender();
        var users = Enumerable.Range(1, 8).Select(i => $"u{i}").ToArray();
        await using var harness = await WithSubscribersAsync(sender, new Dictionary<string, string?>(Fast) { ["Delivery:MaxAttempts"] = "2" }, users);
        var backAt = DateTime.UtcNow.AddSeconds(3);
        sender.Down = () => DateTime.UtcNow < backAt;

        var pushId = await PublishNextWeekAsync(harness);
        await harness.WaitForDeliveriesAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(users.Order(), sender.SentTo.Order());
        Assert.Equal(0, await harness.QueryAsync(db => db.Deliveries.CountAsync(d => d.PushId == pushId && d.Status == DeliveryStatus.Failed)));
    }

    [SkippableFact]
    public async Task TheLedgerIsTheTallyOfEveryStatusChangeWhoeverMadeIt()
    {
        var sender = new RecordingSender();
        sender.Script("gone", new SendOutcome.ChatGone("403 Forbidden: bot was blocked by the user"));
        await using var harness = await WithSubscribersAsync(sender, users: ["gone", "ok"]);
        await harness.SendAsync("/topics add embodied", user: "picky");
        await harness.SendAsync("/start", user: "picky");

        var pushId = await PublishNextWeekAsync(harness);
        await harness.WaitForDeliveriesAsync();

        var tally = await harness.QueryAsync(db => db.PushTallies.AsNoTracking().SingleAsync(t => t.PushId == pushId));
        Assert.Equal((0, 1, 1, 1, 0, 0), (tally.Pending, tally.Sent, tally.Skipped, tally.Blocked, tally.Failed, tally.Waiting));
    }
}

public sealed class DeliverySemanticsTestsOnPostgres : DeliverySemanticsTests
{
    protected override string Provider => StorageOptions.Postgres;
}

/// <summary>SQLite's single writer: results that cannot be written while another connection holds the lock are kept.</summary>
public sealed class LockedDatabaseTests
{
    [Theory]
    [InlineData(3)]
    [InlineData(12)] // longer than the claim lease: the claim runs out while the results wait
    public async Task ADatabaseLockedDuringAFlushLosesNoResultAndSendsNobodyTwice(int lockedSeconds)
    {
        var directory = Directory.CreateTempSubdirectory("paperbot-locked-").FullName;
        var database = Path.Combine(directory, "paperbot.db");
        var sender = new RecordingSender { Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
        var settings = new Dictionary<string, string?>
        {
            // Commands give up on a lock after a second, as they would on a database that is away, instead of waiting it out.
            ["ConnectionStrings:PaperBot"] = $"Data Source={database};Default Timeout=1",
            ["Delivery:MessagesPerSecond"] = "0",
            ["Storage:BusyTimeout"] = "00:00:00.200",
            ["Delivery:ClaimLease"] = "00:00:05",
        };
        try
        {
            await using (var harness = await CoreHarness.StartAsync(settings: settings, senders: sender))
            {
                foreach (var user in new[] { "1", "2", "3" })
                    await harness.SendAsync("/start", user: user);
                var text = TestFiles.SampleText.Replace("超越 Transformer", "超越 RNN", StringComparison.Ordinal);
                var imported = (ImportOutcome.Imported)await harness.UseAsync<IssueImporter, ImportOutcome>(i => i.ImportAsync(text, null, "test", CancellationToken.None));
                await harness.UseAsync<IssuePublisher, PublishOutcome>(p => p.PublishAsync(imported.IssueId, "test", CancellationToken.None));
                await Eventually.AssertAsync(() => Task.FromResult(sender.Attempts.Count == 3), "three sends in flight");

                await using (var locker = new SqliteConnection($"Data Source={database}"))
                {
                    await locker.OpenAsync();
                    await using var hold = locker.CreateCommand();
                    hold.CommandText = "BEGIN IMMEDIATE;";
                    await hold.ExecuteNonQueryAsync();
                    sender.Gate.SetResult();
                    await Task.Delay(TimeSpan.FromSeconds(lockedSeconds));
                    hold.CommandText = "COMMIT;";
                    await hold.ExecuteNonQueryAsync();
                }

                await harness.WaitForDeliveriesAsync(TimeSpan.FromSeconds(30));
                Assert.Equal(["1", "2", "3"], sender.Attempts.Order());
                Assert.Equal(3, await harness.QueryAsync(db => db.Deliveries.CountAsync(d => d.Status == DeliveryStatus.Sent)));
            }
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }
}
