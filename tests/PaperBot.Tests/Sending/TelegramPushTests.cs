using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PaperBot.Core.Issues;
using PaperBot.Core.Publishing;
using PaperBot.Core.Sending;
using PaperBot.Core.Subscribers;
using PaperBot.Tests.Channels.Telegram;
using PaperBot.TestServices;

namespace PaperBot.Tests.Sending;

/// <summary>The weekly push end to end: the real host, the real Telegram.Bot client, a fake Bot API over HTTP.</summary>
public sealed class TelegramPushTests
{
    private const long Admin = 500;
    private static readonly Dictionary<string, string?> Fast = new()
    {
        ["Delivery:MessagesPerSecond"] = "0",
        ["Delivery:RetryDelay"] = "00:00:00.200",
        ["Admins:Telegram:0"] = Admin.ToString(CultureInfo.InvariantCulture),
    };

    private static Dictionary<string, string?> With(params (string Key, string? Value)[] extra)
    {
        var settings = new Dictionary<string, string?>(Fast);
        foreach (var (key, value) in extra)
            settings[key] = value;
        return settings;
    }

    private static async Task<int> ImportNextWeekAsync(TelegramHost host)
    {
        await using var scope = host.App.Services.CreateAsyncScope();
        var text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "samples", "digest-sample.txt")).Replace("超越 Transformer", "超越 RNN", StringComparison.Ordinal);
        return ((ImportOutcome.Imported)await scope.ServiceProvider.GetRequiredService<IssueImporter>().ImportAsync(text, null, "test", CancellationToken.None)).IssueId;
    }

    private static async Task SubscribeAsync(TelegramHost host, params long[] chats)
    {
        foreach (var chat in chats)
            await host.AskAsync(chat, "/start");
    }

    private static Task<BotCall> DigestToAsync(TelegramHost host, long chat) =>
        host.Api.WaitForMessageAsync(chat, c => c.Text.Contains("📬", StringComparison.Ordinal), $"the digest in chat {chat}");

    [Fact]
    public async Task PublishingSendsEachSubscriberTheIssueReducedToTheirTopics()
    {
        await using var host = await TelegramHost.StartAsync(Receiving.Polling, Fast);
        await SubscribeAsync(host, 1, 2);
        await host.AskAsync(2, "/topics add long-context");
        var issue = await ImportNextWeekAsync(host);

        await host.AskAsync(Admin, $"/publish {issue} confirm");

        var everything = await DigestToAsync(host, 1);
        var filtered = await DigestToAsync(host, 2);
        Assert.Contains("13. ", everything.Text, StringComparison.Ordinal);
        Assert.Contains("UC 伯克利提出 LLoCO", filtered.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("Concept Weaver", filtered.Text, StringComparison.Ordinal);
        Assert.Contains("more are outside your topics", filtered.Text, StringComparison.Ordinal);
        Assert.Contains(filtered.Buttons, b => b.Data == $"p:{issue}:7");
        Assert.Equal("true", everything.Parameters["link_preview_options"]?["is_disabled"]?.ToString().ToLowerInvariant());
    }

    [Fact]
    public async Task TooManyRequestsLosesNothing()
    {
        await using var host = await TelegramHost.StartAsync(Receiving.Polling, Fast);
        await SubscribeAsync(host, 1, 2, 3);
        var issue = await ImportNextWeekAsync(host);
        host.Api.FailNext("sendMessage", FakeAnswer.TooManyRequests(1), times: 2);

        await using (var scope = host.App.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<IssuePublisher>().PublishAsync(issue, "test", CancellationToken.None);

        foreach (var chat in new long[] { 1, 2, 3 })
            await DigestToAsync(host, chat);
        // Results are written a moment after the answers arrive.
        await Eventually.AssertAsync(
            async () => await host.App.QueryAsync(db => db.DeliveriesOfIssue(issue).AllAsync(d => d.Status == DeliveryStatus.Sent)),
            "every delivery to be recorded as sent");
        Assert.Equal(3, host.Api.CallsTo("sendMessage").Count(c => c.MessageId is not null && c.Text.Contains("📬", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task AForbiddenAnswerBlocksTheSubscriberAndTheRestStillGetIt()
    {
        await using var host = await TelegramHost.StartAsync(Receiving.Polling, Fast);
        await SubscribeAsync(host, 1, 2, 3);
        var issue = await ImportNextWeekAsync(host);
        host.Api.FailNext("sendMessage", FakeAnswer.Blocked);

        await using (var scope = host.App.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<IssuePublisher>().PublishAsync(issue, "test", CancellationToken.None);

        await Eventually.AssertAsync(async () => !await host.App.QueryAsync(db => db.Deliveries.AnyAsync(d => d.Status == DeliveryStatus.Pending)), "the push to finish");
        var statuses = await host.App.QueryAsync(db => db.DeliveriesOfIssue(issue).WithChats(db)
            .Select(d => new { d.Delivery.Status, d.SubscriberStatus }).ToListAsync());
        Assert.Equal(2, statuses.Count(s => s.Status == DeliveryStatus.Sent));
        var blocked = Assert.Single(statuses, s => s.Status == DeliveryStatus.Blocked);
        Assert.Equal(SubscriberStatus.Blocked, blocked.SubscriberStatus);
    }

    [Fact]
    public async Task TheAdminsPublishMessageShowsProgressUntilDone()
    {
        await using var host = await TelegramHost.StartAsync(Receiving.Polling, Fast);
        await SubscribeAsync(host, 1, 2);
        var issue = await ImportNextWeekAsync(host);

        var answer = await host.AskAsync(Admin, $"/publish {issue} confirm");

        Assert.Contains($"Issue {issue} published; sending to 2 subscribers", answer.Text, StringComparison.Ordinal);
        var edited = await host.Api.WaitForCallAsync("editMessageText",
            c => c.ChatId == Admin.ToString(CultureInfo.InvariantCulture) && c["message_id"] == answer.MessageId?.ToString(CultureInfo.InvariantCulture) && c.Text.Contains("done", StringComparison.Ordinal),
            "the progress message to say done", TimeSpan.FromSeconds(15));
        Assert.Contains("sent 2", edited.Text, StringComparison.Ordinal);
        Assert.Contains("remaining 0", edited.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheAdminsDoneMessageSaysTheReasonMostFailuresHadAsText()
    {
        await using var host = await TelegramHost.StartAsync(Receiving.Polling, Fast);
        await SubscribeAsync(host, 1, 2, 3);
        var issue = await ImportNextWeekAsync(host);
        // The admin's answer goes out; the push's sends wait until one of them is set to fail.
        host.Api.HoldAfter("sendMessage", 1);

        var answer = await host.AskAsync(Admin, $"/publish {issue} confirm");
        host.Api.FailNext("sendMessage", FakeAnswer.Error(400, "Bad Request: can't parse entities: Unsupported start tag \"<x>\""));
        host.Api.Release("sendMessage");

        var edited = await host.Api.WaitForCallAsync("editMessageText",
            c => c.ChatId == Admin.ToString(CultureInfo.InvariantCulture) && c["message_id"] == answer.MessageId?.ToString(CultureInfo.InvariantCulture) && c.Text.Contains("done", StringComparison.Ordinal),
            "the progress message to say done", TimeSpan.FromSeconds(15));
        Assert.Contains("failed 1", edited.Text, StringComparison.Ordinal);
        Assert.EndsWith("\nMost failures (1): 400 Bad Request: can't parse entities: Unsupported start tag \"&lt;x&gt;\"", edited.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PaidBroadcastsAreAskedForWhenAllowed()
    {
        await using var host = await TelegramHost.StartAsync(Receiving.Polling, With(("Telegram:AllowPaidBroadcast", "true"), ("Delivery:MessagesPerSecond", "25")));
        await SubscribeAsync(host, 1);
        var issue = await ImportNextWeekAsync(host);

        await host.AskAsync(Admin, $"/publish {issue} confirm");

        var digest = await DigestToAsync(host, 1);
        Assert.Equal("true", digest["allow_paid_broadcast"]?.ToLowerInvariant());
        var stats = await host.AskAsync(Admin, "/stats");
        Assert.Contains("at 1000 msg/s", stats.Text, StringComparison.Ordinal);
    }

    // Before a rate is measured, the time left is counted at the channel's own rate: with paid broadcasts Telegram sends
    // 1,000 a second, not Delivery__MessagesPerSecond's 25, so 10,000 still to send take 10 s, not 6m 40s.
    [Fact]
    public async Task TheFirstEtaOfAPaidBroadcastCountsAtTelegramsPaidRate()
    {
        await using var host = await TelegramHost.StartAsync(Receiving.Polling, With(("Telegram:AllowPaidBroadcast", "true"), ("Delivery:MessagesPerSecond", "25")));
        // A push with 10,000 still to send, as its tally says; no delivery rows, so nothing is sent meanwhile.
        var pushId = await host.App.QueryAsync(async db =>
        {
            var push = new Push { Kind = PushKind.Broadcast, Text = "hello", CreatedBy = "test", CreatedAt = DateTimeOffset.UtcNow, QueuedAt = DateTimeOffset.UtcNow, RecipientCount = 10_000 };
            db.Pushes.Add(push);
            await db.SaveChangesAsync();
            db.PushTallies.Add(new PushTally { PushId = push.Id, Channel = Channel.Telegram, Pending = 10_000 });
            await db.SaveChangesAsync();
            return push.Id;
        });

        await using var scope = host.App.Services.CreateAsyncScope();
        var progress = await scope.ServiceProvider.GetRequiredService<PaperBot.Core.Stats.PushProgress>().ReadAsync(pushId, CancellationToken.None);

        Assert.Equal(TimeSpan.FromSeconds(10), progress!.Remaining);
        Assert.EndsWith("remaining 10000 · ETA 10s", progress.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConfiguredChannelsGetOnePostPerIssueWithLinksOnly()
    {
        await using var host = await TelegramHost.StartAsync(Receiving.Polling, With(("Telegram:Channels:0", "-1001234567")));
        await SubscribeAsync(host, 1);
        var issue = await ImportNextWeekAsync(host);

        await host.AskAsync(Admin, $"/publish {issue} confirm");

        var post = await host.Api.WaitForMessageAsync(-1001234567, c => c.Text.Contains("📬", StringComparison.Ordinal));
        Assert.DoesNotContain(post.Buttons, b => b.Data is not null);
        Assert.Contains("https://arxiv.org/abs/2404.07965", post.Text, StringComparison.Ordinal);
        await DigestToAsync(host, 1);
    }

    [Fact]
    public async Task AConfiguredChannelGetsNoAnnouncementAndNothingMoreOnceTakenOffTheList()
    {
        const long Channel = -1001234567;
        var directory = Directory.CreateTempSubdirectory("paperbot-channels-").FullName;
        var database = ("ConnectionStrings:PaperBot", (string?)$"Data Source={Path.Combine(directory, "paperbot.db")}");
        await using (var listed = await TelegramHost.StartAsync(Receiving.Polling, With(database, ("Telegram:Channels:0", Channel.ToString(CultureInfo.InvariantCulture)))))
        {
            await SubscribeAsync(listed, 1);
            await listed.AskAsync(Admin, "/broadcast 下周停更一次");
            var draft = await listed.App.QueryAsync(db => db.Pushes.Where(p => p.Kind == PushKind.Broadcast).Select(p => p.Id).SingleAsync());
            await Task.Delay(TimeSpan.FromSeconds(1.1));
            await listed.AskAsync(Admin, $"/send {draft}");

            await listed.Api.WaitForMessageAsync(1, c => c.Text.Contains("下周停更一次", StringComparison.Ordinal), "the announcement in chat 1");
            await Eventually.AssertAsync(
                () => listed.App.QueryAsync(db => db.Pushes.AnyAsync(p => p.Id == draft && p.CompletedAt != null)), "the announcement's push to complete");
            Assert.Empty(listed.Api.SentTo(Channel));
            Assert.Equal(1, await listed.App.QueryAsync(db => db.Pushes.Where(p => p.Id == draft).Select(p => p.RecipientCount).SingleAsync()));
        }

        await using var unlisted = await TelegramHost.StartAsync(Receiving.Polling, With(database));
        // Telegram's update ids go on rising across a restart; this fake starts at 1 again, ids the bot has seen.
        while (unlisted.Api.NextUpdateId() < 100)
        {
        }

        var issue = await ImportNextWeekAsync(unlisted);
        await unlisted.AskAsync(Admin, $"/publish {issue} confirm");

        await DigestToAsync(unlisted, 1);
        var push = await unlisted.App.QueryAsync(db => db.Pushes.SingleAsync(p => p.IssueId == issue));
        Assert.Equal(1, push.RecipientCount);
        Assert.Empty(unlisted.Api.SentTo(Channel));
        Assert.Equal(SubscriberStatus.Unsubscribed, await unlisted.App.QueryAsync(db => db.Subscribers.Where(s => s.ChatId == Channel.ToString(CultureInfo.InvariantCulture)).Select(s => s.Status).SingleAsync()));
    }

    [Fact]
    public async Task MetricsCountMessagesSentByChannel()
    {
        await using var host = await TelegramHost.StartAsync(Receiving.Polling, Fast);
        await SubscribeAsync(host, 1);
        var issue = await ImportNextWeekAsync(host);
        await host.AskAsync(Admin, $"/publish {issue} confirm");
        await DigestToAsync(host, 1);

        var metrics = "";
        await Eventually.AssertAsync(async () => (metrics = await host.Client.GetStringAsync("/metrics")).Contains("paperbot_messages_sent", StringComparison.Ordinal), "the metrics to show the send");
        Assert.Matches("paperbot_messages_sent[a-z_]*\\{[^}]*channel=\"telegram\"[^}]*\\} [1-9]", metrics);
        Assert.Contains("paperbot_send_latency", metrics, StringComparison.Ordinal);
    }
}
