using Microsoft.EntityFrameworkCore;
using PaperBot.Core.Data;
using PaperBot.Core.Issues;
using PaperBot.Core.Publishing;
using PaperBot.Core.Sending;
using PaperBot.Core.Stats;
using PaperBot.TestServices;
using PaperBot.Core.Subscribers;

namespace PaperBot.Core.Tests.Publishing;

public class PublishingTests : StorageTests
{
    /// <summary>The sample with its first title changed: a different digest, as next week's would be.</summary>
    private static string NextWeeksDigest => TestFiles.SampleText.Replace("超越 Transformer", "超越 RNN", StringComparison.Ordinal);

    private protected static async Task<int> ImportDraftAsync(CoreHarness harness)
    {
        var outcome = await harness.UseAsync<IssueImporter, ImportOutcome>(i => i.ImportAsync(NextWeeksDigest, null, "test", CancellationToken.None));
        return Assert.IsType<ImportOutcome.Imported>(outcome).IssueId;
    }

    // Deliveries skipped because no paper matches the subscriber's topics take their send slot like the others: the
    // time left counts at the rate deliveries are done, 20 a second here, not at the 10 a second that were sent.
    [SkippableFact]
    public async Task ThePushsTimeLeftCountsTheDeliveriesSkippedMeanwhileNotOnlyThoseSent()
    {
        await using var harness = await StartAsync();
        var pushId = await harness.QueryAsync(async db =>
        {
            var push = new Push { Kind = PushKind.Broadcast, Text = "hello", CreatedBy = "test", CreatedAt = harness.Clock.GetUtcNow(), QueuedAt = harness.Clock.GetUtcNow(), RecipientCount = 1000 };
            db.Pushes.Add(push);
            await db.SaveChangesAsync();
            db.PushTallies.Add(new PushTally { PushId = push.Id, Channel = Channel.Telegram, Pending = 1000 });
            await db.SaveChangesAsync();
            return push.Id;
        });
        await harness.UseAsync<PushProgress, Progress?>(p => p.ReadAsync(pushId, CancellationToken.None));

        await harness.QueryAsync(db => db.PushTallies.Where(t => t.PushId == pushId)
            .ExecuteUpdateAsync(t => t.SetProperty(x => x.Pending, 800).SetProperty(x => x.Sent, 100).SetProperty(x => x.Skipped, 100)));
        harness.Clock.Advance(TimeSpan.FromSeconds(10));
        var progress = await harness.UseAsync<PushProgress, Progress?>(p => p.ReadAsync(pushId, CancellationToken.None));

        Assert.Equal((10, TimeSpan.FromSeconds(40)), (progress!.MessagesPerSecond, progress.Remaining));
        Assert.Equal("20% · sent 100 · skipped 100 · blocked 0 · failed 0 · remaining 800 · 10 msg/s · ETA 40s", progress.Describe());
    }

    // A modified Telegram client can send any callback data on any of the bot's messages, and the console sends button
    // data as JSON: the Publish and Send buttons of an admin's preview are admin commands whoever presses them.
    [SkippableTheory]
    [InlineData(Channel.Telegram, "7")]
    [InlineData(Channel.Web, "console-visitor")]
    public async Task APublishOrSendButtonPressedByAnyoneButAnAdminPublishesAndSendsNothing(Channel channel, string user)
    {
        await using var harness = await StartAsync();
        var draft = await ImportDraftAsync(harness);
        await harness.SendAsync("/start", user: "1");
        await harness.SendAsync("/publish", user: CoreHarness.AdminId, language: "en");
        await harness.SendAsync("/broadcast 一个钓鱼链接", user: CoreHarness.AdminId, language: "en");
        var announcement = await harness.QueryAsync(db => db.Pushes.Where(p => p.Kind == PushKind.Broadcast).Select(p => p.Id).SingleAsync());
        var deliveries = await harness.QueryAsync(db => db.Deliveries.CountAsync());

        var publish = await harness.PressAsync($"u:ok:{draft}", user: user, channel: channel, language: "en");
        var send = await harness.PressAsync($"b:ok:{announcement}", user: user, channel: channel, language: "en");
        var cancel = await harness.PressAsync($"b:no:{announcement}", user: user, channel: channel, language: "en");

        Assert.Equal("This command is for admins only.", publish.ToPlainText());
        Assert.Equal("This command is for admins only.", send.ToPlainText());
        Assert.Equal("This command is for admins only.", cancel.ToPlainText());
        Assert.Equal(IssueStatus.Draft, await harness.QueryAsync(db => db.Issues.Where(i => i.Id == draft).Select(i => i.Status).SingleAsync()));
        Assert.Null(await harness.QueryAsync(db => db.Pushes.Where(p => p.Id == announcement).Select(p => p.QueuedAt).SingleAsync()));
        Assert.Equal(deliveries, await harness.QueryAsync(db => db.Deliveries.CountAsync()));
        Assert.Contains("Announcement queued", (await harness.PressAsync($"b:ok:{announcement}", user: CoreHarness.AdminId, language: "en")).ToPlainText(), StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task AdminPublishShowsWhatWouldGoAndQueuesOneDeliveryPerActiveSubscriberOnlyOnceConfirmed()
    {
        await using var harness = await StartAsync();
        var draft = await ImportDraftAsync(harness);
        await harness.SendAsync("/start", user: "1");
        await harness.SendAsync("订阅", user: "oWeChat1", channel: Channel.WeChat);
        await harness.SendAsync("/start", user: "2");
        await harness.SendAsync("/unsubscribe", user: "2");
        await harness.SendAsync("/paper 4", user: "3");
        await harness.SendAsync("/subscribe", user: "web-user", channel: Channel.Web);

        var preview = Assert.Single((await harness.SendAsync("/publish", user: CoreHarness.AdminId, language: "en")).Messages);

        Assert.Equal(
            $"📤 Publish issue {draft} · 本周值得关注的大模型 / AIGC 前沿研究? It goes to 2 subscribers.\nAbout 1s at 25 msg/s.\n\nTap Publish, or reply /publish {draft} confirm; nothing is sent otherwise.",
            preview.ToPlainText());
        Assert.Equal([("✅ Publish to 2", $"u:ok:{draft}"), ("✖ Cancel", $"u:no:{draft}")], preview.Buttons.SelectMany(r => r).Select(b => (b.Text, b.Data)));
        Assert.Equal(0, await harness.QueryAsync(db => db.DeliveriesOfIssue(draft).CountAsync()));
        Assert.Equal(IssueStatus.Draft, await harness.QueryAsync(db => db.Issues.Where(i => i.Id == draft).Select(i => i.Status).SingleAsync()));

        var reply = await harness.PressAsync($"u:ok:{draft}", user: CoreHarness.AdminId, language: "en");

        Assert.Equal($"Issue {draft} published; sending to 2 subscribers. About 1s at 25 msg/s.", reply.ToPlainText());
        Assert.NotNull(reply.Messages[0].TracksPush);
        Assert.True(reply.Messages[0].ReplacesOriginal);
        var recipients = await harness.QueryAsync(db => db.DeliveriesOfIssue(draft).WithChats(db)
            .Select(d => d.ChatId).OrderBy(c => c).ToListAsync());
        Assert.Equal(["1", "oWeChat1"], recipients);
        Assert.Equal(IssueStatus.Published, await harness.QueryAsync(db => db.Issues.Where(i => i.Id == draft).Select(i => i.Status).SingleAsync()));
        Assert.Contains(await harness.QueryAsync(db => db.AuditLog.ToListAsync()), e => e.Action == "publish" && e.Actor == $"telegram:{CoreHarness.AdminId}");
    }

    [SkippableFact]
    public async Task PublishNumberConfirmPublishesThatIssueAndCancelPublishesNothing()
    {
        await using var harness = await StartAsync();
        var draft = await ImportDraftAsync(harness);
        await harness.SendAsync("/start", user: "1");

        var asked = await harness.SendAsync($"/publish {draft}", user: CoreHarness.AdminId, language: "en");
        var cancelled = await harness.PressAsync($"u:no:{draft}", user: CoreHarness.AdminId, language: "en");

        Assert.StartsWith($"📤 Publish issue {draft} · ", asked.ToPlainText(), StringComparison.Ordinal);
        Assert.Equal($"Issue {draft} was not published.", cancelled.ToPlainText());
        Assert.Equal(IssueStatus.Draft, await harness.QueryAsync(db => db.Issues.Where(i => i.Id == draft).Select(i => i.Status).SingleAsync()));

        var confirmed = await harness.SendAsync($"/publish {draft} confirm", user: CoreHarness.AdminId, language: "en");

        Assert.Equal($"Issue {draft} published; sending to 1 subscribers. About 1s at 25 msg/s.", confirmed.ToPlainText());
        Assert.Equal(IssueStatus.Published, await harness.QueryAsync(db => db.Issues.Where(i => i.Id == draft).Select(i => i.Status).SingleAsync()));
        Assert.Equal("This command is for admins only.", (await harness.PressAsync($"u:ok:{draft}", user: "1", language: "en")).ToPlainText());
    }

    [SkippableFact]
    public async Task PublishersRacingForOneIssuePublishItOnce()
    {
        await using var harness = await StartAsync();
        var draft = await ImportDraftAsync(harness);

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ =>
            harness.UseAsync<IssuePublisher, PublishOutcome>(p => p.PublishAsync(draft, "test", CancellationToken.None))));

        Assert.Single(outcomes.OfType<PublishOutcome.Published>());
        Assert.All(outcomes.Where(o => o is not PublishOutcome.Published), o => Assert.IsType<PublishOutcome.AlreadyPublished>(o));
        Assert.Equal(1, await harness.QueryAsync(db => db.Pushes.CountAsync(p => p.IssueId == draft)));
    }

    [SkippableFact]
    public async Task AWeeklySlotRunTwicePublishesOneIssue()
    {
        await using var harness = await StartAsync();
        var first = await ImportDraftAsync(harness);
        var second = Assert.IsType<ImportOutcome.Imported>(await harness.UseAsync<IssueImporter, ImportOutcome>(i =>
            i.ImportAsync(NextWeeksDigest.Replace("Rho-1", "Rho-2", StringComparison.Ordinal), null, "test", CancellationToken.None))).IssueId;
        foreach (var issue in new[] { first, second })
            await harness.UseAsync<IssueScheduler, ScheduleOutcome>(s => s.ScheduleAsync(issue, null, "test", CancellationToken.None));
        var slot = harness.Clock.GetUtcNow();

        var fired = await harness.UseAsync<ScheduledPublishing, PublishOutcome?>(p => p.PublishWeeklyAsync(slot, CancellationToken.None));
        var recovered = await harness.UseAsync<ScheduledPublishing, PublishOutcome?>(p => p.PublishWeeklyAsync(slot, CancellationToken.None));

        Assert.Equal(first, Assert.IsType<PublishOutcome.Published>(fired).IssueId);
        Assert.Null(recovered);
        Assert.Equal(IssueStatus.Scheduled, await harness.QueryAsync(db => db.Issues.Where(i => i.Id == second).Select(i => i.Status).SingleAsync()));
    }

    [SkippableFact]
    public async Task PublishingTwiceIsRefused()
    {
        await using var harness = await StartAsync();
        var reply = await harness.SendAsync("/publish 1", user: CoreHarness.AdminId, language: "en");
        Assert.StartsWith("Issue 1 was already published", reply.ToPlainText(), StringComparison.Ordinal);
        Assert.Equal(1, await harness.QueryAsync(db => db.Pushes.CountAsync()));
    }

    [SkippableFact]
    public async Task PublishWithNothingInLineSaysSo()
    {
        await using var harness = await StartAsync();
        Assert.StartsWith("Nothing to publish", (await harness.SendAsync("/publish", user: CoreHarness.AdminId, language: "en")).ToPlainText(), StringComparison.Ordinal);
        Assert.Contains("no issue 7", (await harness.SendAsync("/publish 7", user: CoreHarness.AdminId, language: "en")).ToPlainText(), StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task BroadcastIsPreviewedAndQueuedOnlyWhenTheAdminConfirms()
    {
        await using var harness = await StartAsync();
        await harness.SendAsync("/start", user: "1");
        await harness.SendAsync("/start", user: "2");

        var preview = Assert.Single((await harness.SendAsync("/broadcast 下周停更一次", user: CoreHarness.AdminId, language: "en")).Messages);

        Assert.Contains("Announcement preview, for 2 subscribers", preview.ToPlainText(), StringComparison.Ordinal);
        Assert.Contains("下周停更一次", preview.ToPlainText(), StringComparison.Ordinal);
        Assert.Equal(0, await harness.QueryAsync(db => db.Deliveries.CountAsync(d => db.Pushes.Any(p => p.Id == d.PushId && p.Kind == PushKind.Broadcast))));

        var send = preview.Buttons.SelectMany(r => r).Single(b => b.Text.StartsWith('✅'));
        var queued = Assert.Single((await harness.PressAsync(send.Data!, user: CoreHarness.AdminId, language: "en")).Messages);

        Assert.Equal("Announcement queued for 2 subscribers.", queued.ToPlainText());
        Assert.True(queued.ReplacesOriginal);
        var push = await harness.QueryAsync(db => db.Pushes.SingleAsync(p => p.Kind == PushKind.Broadcast));
        Assert.Equal("下周停更一次", push.Text);
        Assert.Equal(2, await harness.QueryAsync(db => db.Deliveries.CountAsync(d => d.PushId == push.Id)));
        Assert.Contains("no announcement", (await harness.PressAsync(send.Data!, user: CoreHarness.AdminId, language: "en")).ToPlainText(), StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task ABroadcastConfirmedTwiceAtOnceIsQueuedOnceAndTheSecondPressIsToldSo()
    {
        await using var harness = await StartAsync();
        await harness.SendAsync("/start", user: "1");
        await harness.SendAsync("/start", user: "2");
        var draft = await harness.UseAsync<Broadcaster, Push>(b => b.DraftAsync("下周停更一次", "test", CancellationToken.None));

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
            harness.UseAsync<Broadcaster, BroadcastOutcome>(b => b.ConfirmAsync(draft.Id, "test", CancellationToken.None)))));

        Assert.Single(outcomes.OfType<BroadcastOutcome.Queued>());
        Assert.Equal(7, outcomes.OfType<BroadcastOutcome.NotADraft>().Count());
        Assert.Equal(2, await harness.QueryAsync(db => db.Deliveries.CountAsync(d => d.PushId == draft.Id)));
    }

    [SkippableFact]
    public async Task ACancelledBroadcastSendsNothing()
    {
        await using var harness = await StartAsync();
        await harness.SendAsync("/start", user: "1");
        var preview = (await harness.SendAsync("/broadcast oops", user: CoreHarness.AdminId, language: "en")).Messages[0];
        var pushId = await harness.QueryAsync(db => db.Pushes.Where(p => p.Kind == PushKind.Broadcast).Select(p => p.Id).SingleAsync());

        Assert.Contains($"/cancel {pushId}", preview.ToPlainText(), StringComparison.Ordinal);
        Assert.Equal("Announcement dropped; nothing was sent.", (await harness.SendAsync($"/cancel {pushId}", user: CoreHarness.AdminId, language: "en")).ToPlainText());
        Assert.Equal(0, await harness.QueryAsync(db => db.Pushes.CountAsync(p => p.Kind == PushKind.Broadcast)));
        Assert.Equal("This command is for admins only.", (await harness.SendAsync($"/send {pushId}", user: "1", language: "en")).ToPlainText());
    }

    [SkippableFact]
    public async Task StatsCountSubscribersTopicsAndPushes()
    {
        await using var harness = await StartAsync();
        await harness.SendAsync("/start", user: "1");
        await harness.SendAsync("/topics add moe", user: "1");
        await harness.SendAsync("/start", user: "2");

        var text = (await harness.SendAsync("/stats", user: CoreHarness.AdminId)).ToPlainText();

        Assert.Contains("Subscribers: 2 active", text, StringComparison.Ordinal);
        Assert.Contains("moe 1", text, StringComparison.Ordinal);
        Assert.Contains("#1 issue 1", text, StringComparison.Ordinal);
        Assert.Contains("Next push: 2 recipients, about 1s at 25 msg/s", text, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task StatsCountTheTopicsOfActiveSubscribersOnly()
    {
        await using var harness = await StartAsync();
        await harness.SendAsync("/start", user: "1");
        await harness.SendAsync("/topics add moe", user: "1");
        await harness.SendAsync("/start", user: "2");
        await harness.SendAsync("/topics add moe", user: "2");
        await harness.SendAsync("/topics add agents", user: "2");
        await harness.SendAsync("退订", user: "2");

        var text = (await harness.SendAsync("/stats", user: CoreHarness.AdminId)).ToPlainText();

        Assert.Contains("Subscribers: 1 active", text, StringComparison.Ordinal);
        Assert.Contains("moe 1", text, StringComparison.Ordinal);
        Assert.DoesNotContain("agents", text, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task AnIssuePublishedToNobodyIsDoneAtOnce()
    {
        await using var harness = await StartAsync();
        var draft = await ImportDraftAsync(harness);

        await harness.UseAsync<IssuePublisher, PublishOutcome>(p => p.PublishAsync(draft, "test", CancellationToken.None));

        var text = (await harness.SendAsync("/stats", user: CoreHarness.AdminId, language: "en")).ToPlainText();
        Assert.Contains($"#2 issue {draft} 2026-11-22 12:00 done: 0 recipients", text, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task ScheduledIssuesComeBeforeDraftsForPublish()
    {
        await using var harness = await StartAsync();
        var scheduled = await ImportDraftAsync(harness);
        var laterDraft = Assert.IsType<ImportOutcome.Imported>(await harness.UseAsync<IssueImporter, ImportOutcome>(i =>
            i.ImportAsync(NextWeeksDigest.Replace("Rho-1", "Rho-2", StringComparison.Ordinal), null, "test", CancellationToken.None))).IssueId;
        await harness.UseAsync<IssueScheduler, ScheduleOutcome>(s => s.ScheduleAsync(scheduled, null, "test", CancellationToken.None));

        var outcome = await harness.UseAsync<IssuePublisher, PublishOutcome>(p => p.PublishAsync(null, "test", CancellationToken.None));

        Assert.Equal(scheduled, Assert.IsType<PublishOutcome.Published>(outcome).IssueId);
        Assert.Equal(IssueStatus.Draft, await harness.QueryAsync(db => db.Issues.Where(i => i.Id == laterDraft).Select(i => i.Status).SingleAsync()));
    }
}

public sealed class PublishingTestsOnPostgres : PublishingTests
{
    protected override string Provider => StorageOptions.Postgres;

    [SkippableFact]
    public async Task APushCountsAsPendingOnlyTheDeliveriesItQueuedWhenSomeoneSubscribesMeanwhile()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        await using var harness = await CoreHarness.StartAsync(publishSample: false, new Dictionary<string, string?> { ["ConnectionStrings:PaperBot"] = database.ConnectionString }, Provider);
        await harness.SendAsync("/start", user: "1");
        await harness.SendAsync("/start", user: "2");
        var joinsMeanwhile = new AfterDeliveriesAreQueued(() => harness.SendAsync("/start", user: "3"));
        await using var db = new PostgresPaperBotDbContext(new DbContextOptionsBuilder<PostgresPaperBotDbContext>()
            .UseNpgsql(database.ConnectionString).AddInterceptors(joinsMeanwhile).Options);

        await using (var transaction = await db.Database.BeginTransactionAsync())
        {
            var push = new Push { Kind = PushKind.Broadcast, Text = "Maintenance tonight", CreatedBy = "test", CreatedAt = harness.Clock.GetUtcNow(), QueuedAt = harness.Clock.GetUtcNow() };
            db.Pushes.Add(push);
            await db.SaveChangesAsync();
            await Outbox.EnqueueAsync(db, push, includeChannelPosts: false, CancellationToken.None);
            await db.SaveChangesAsync();
            await transaction.CommitAsync();
        }

        Assert.True(joinsMeanwhile.Ran);
        Assert.Equal(3, await harness.QueryAsync(d => d.Subscribers.CountAsync(s => s.Status == SubscriberStatus.Active)));
        Assert.Equal(2, await harness.QueryAsync(d => d.Deliveries.CountAsync()));
        Assert.Equal(2, await harness.QueryAsync(d => d.PushTallies.SumAsync(t => t.Pending)));
    }

    [SkippableFact]
    public async Task AnIssueUnscheduledJustAsTheWeeklyPushPublishesItIsNeverPushedTwice()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        await using var harness = await CoreHarness.StartAsync(publishSample: false, new Dictionary<string, string?> { ["ConnectionStrings:PaperBot"] = database.ConnectionString }, Provider);
        var issue = await ImportDraftAsync(harness);
        await harness.UseAsync<IssueScheduler, ScheduleOutcome>(s => s.ScheduleAsync(issue, null, "test", CancellationToken.None));
        var publishedMeanwhile = new AfterTheIssueIsRead(() =>
            harness.UseAsync<IssuePublisher, PublishOutcome>(p => p.PublishAsync(issue, "schedule", CancellationToken.None)));
        await using var db = new PostgresPaperBotDbContext(new DbContextOptionsBuilder<PostgresPaperBotDbContext>()
            .UseNpgsql(database.ConnectionString).AddInterceptors(publishedMeanwhile).Options);

        var unscheduled = await new IssueScheduler(db, harness.Clock).UnscheduleAsync(issue, "admin", CancellationToken.None);
        await harness.UseAsync<IssuePublisher, PublishOutcome>(p => p.PublishAsync(issue, "admin", CancellationToken.None));

        var status = await harness.QueryAsync(d => d.Issues.Where(i => i.Id == issue).Select(i => i.Status).SingleAsync());
        Assert.Equal(IssueStatus.Published, status);
        Assert.Equal(1, await harness.QueryAsync(d => d.Pushes.CountAsync(p => p.IssueId == issue)));
        if (publishedMeanwhile.Ran)
            Assert.IsType<ScheduleOutcome.AlreadyPublished>(unscheduled);
    }

    /// <summary>Publishes the issue on another connection right after a statement reads it, once.</summary>
    private sealed class AfterTheIssueIsRead(Func<Task> meanwhile) : Microsoft.EntityFrameworkCore.Diagnostics.DbCommandInterceptor
    {
        public bool Ran { get; private set; }

        public override async ValueTask<System.Data.Common.DbDataReader> ReaderExecutedAsync(System.Data.Common.DbCommand command, Microsoft.EntityFrameworkCore.Diagnostics.CommandExecutedEventData eventData, System.Data.Common.DbDataReader result, CancellationToken cancellationToken = default)
        {
            if (!Ran && command.CommandText.Contains("FROM \"Issues\"", StringComparison.Ordinal))
            {
                Ran = true;
                await meanwhile();
            }

            return result;
        }
    }

    /// <summary>Runs something on another connection right after the statement that queues a push's deliveries.</summary>
    private sealed class AfterDeliveriesAreQueued(Func<Task> meanwhile) : Microsoft.EntityFrameworkCore.Diagnostics.DbCommandInterceptor
    {
        public bool Ran { get; private set; }

        public override async ValueTask<int> NonQueryExecutedAsync(System.Data.Common.DbCommand command, Microsoft.EntityFrameworkCore.Diagnostics.CommandExecutedEventData eventData, int result, CancellationToken cancellationToken = default)
        {
            if (!Ran && command.CommandText.Contains("INSERT INTO \"Deliveries\"", StringComparison.Ordinal))
            {
                Ran = true;
                await meanwhile();
            }

            return result;
        }
    }
}
