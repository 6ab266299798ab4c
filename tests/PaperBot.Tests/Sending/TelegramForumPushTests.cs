using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PaperBot.Core.Issues;
using PaperBot.Core.Publishing;
using PaperBot.Core.Sending;
using PaperBot.Core.Subscribers;
using PaperBot.Tests.Channels.Telegram;
using PaperBot.TestServices;

namespace PaperBot.Tests.Sending;

/// <summary>
/// A forum group (a supergroup with topics) gets its pushes in the topic an administrator sent /subscribe in: the real
/// host and client, a fake Bot API that keeps the forum's topics and refuses a closed or deleted one as Telegram does.
/// </summary>
public sealed class TelegramForumPushTests
{
    private const long Forum = -1007001;
    private const int Topic = 77;
    private static readonly string ForumId = Forum.ToString(CultureInfo.InvariantCulture);

    private static readonly Dictionary<string, string?> Fast = new()
    {
        ["Delivery:MessagesPerSecond"] = "0",
        ["Delivery:RetryDelay"] = "00:00:00.200",
    };

    private static async Task<TelegramHost> StartAsync()
    {
        var host = await TelegramHost.StartAsync(Receiving.Webhook, Fast);
        host.Api.OpenForumTopic(Forum, Topic);
        host.Api.SetChatMember(Forum, UpdateJson.GroupMember, "administrator");
        return host;
    }

    /// <summary>A message of the forum's administrator, in topic <paramref name="topic"/> or (null) in General.</summary>
    private static JsonObject InForum(string text, int? topic)
    {
        var update = UpdateJson.Text(Forum, text);
        var message = update["message"]!;
        message["chat"]!["is_forum"] = true;
        if (topic is { } thread)
        {
            message["message_thread_id"] = thread;
            message["is_topic_message"] = true;
        }

        return update;
    }

    private static async Task<BotCall> SendAsync(TelegramHost host, JsonObject update)
    {
        var before = host.Api.SentTo(Forum).Count;
        await host.DeliverAsync(update);
        await host.Api.WaitForAsync(_ => host.Api.SentTo(Forum).Count > before, "the bot's answer in the forum");
        return host.Api.SentTo(Forum)[before];
    }

    private static Task<int?> StoredThreadAsync(TelegramHost host) =>
        host.App.QueryAsync(db => db.Subscribers.Where(s => s.Channel == Channel.Telegram && s.ChatId == ForumId).Select(s => s.ThreadId).SingleAsync());

    private static async Task<int> PublishNextWeekAsync(TelegramHost host)
    {
        await using var scope = host.App.Services.CreateAsyncScope();
        var text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "samples", "digest-sample.txt")).Replace("超越 Transformer", "超越 RNN", StringComparison.Ordinal);
        var issue = ((ImportOutcome.Imported)await scope.ServiceProvider.GetRequiredService<IssueImporter>().ImportAsync(text, null, "test", CancellationToken.None)).IssueId;
        await scope.ServiceProvider.GetRequiredService<IssuePublisher>().PublishAsync(issue, "test", CancellationToken.None);
        return issue;
    }

    private static async Task PushDoneAsync(TelegramHost host, int issue) =>
        await Eventually.AssertAsync(
            async () => await host.App.QueryAsync(async db => await db.DeliveriesOfIssue(issue).AnyAsync() && !await db.DeliveriesOfIssue(issue).AnyAsync(d => d.Status == DeliveryStatus.Pending)),
            "the push to be recorded");

    private static List<BotCall> DigestsTried(TelegramHost host) =>
        host.Api.CallsTo("sendMessage").Where(c => c.ChatId == ForumId && c.Text.Contains("📬", StringComparison.Ordinal)).ToList();

    [Fact]
    public async Task SubscribingInAForumTopicBringsEachIssueToThatTopic()
    {
        await using var host = await StartAsync();

        var answer = await SendAsync(host, InForum("/subscribe", Topic));
        var issue = await PublishNextWeekAsync(host);
        var digest = await host.Api.WaitForMessageAsync(Forum, c => c.Text.Contains("📬", StringComparison.Ordinal), "the digest in the forum");

        Assert.Contains("Each issue will arrive in this topic", answer.Text, StringComparison.Ordinal);
        Assert.Equal(Topic, await StoredThreadAsync(host));
        Assert.Equal("77", digest["message_thread_id"]);
        await PushDoneAsync(host, issue);
        Assert.All(DigestsTried(host), c => Assert.Equal("77", c["message_thread_id"]));
    }

    [Fact]
    public async Task SubscribingAgainInGeneralBringsTheIssuesToGeneral()
    {
        await using var host = await StartAsync();
        await SendAsync(host, InForum("/subscribe", Topic));

        var answer = await SendAsync(host, InForum("/subscribe", null));
        await PublishNextWeekAsync(host);
        var digest = await host.Api.WaitForMessageAsync(Forum, c => c.Text.Contains("📬", StringComparison.Ordinal), "the digest in the forum");

        Assert.Contains("You are already subscribed", answer.Text, StringComparison.Ordinal);
        Assert.Contains("Each issue will arrive in General", answer.Text, StringComparison.Ordinal);
        Assert.Null(answer["message_thread_id"]);
        Assert.Null(await StoredThreadAsync(host));
        Assert.Null(digest["message_thread_id"]);
    }

    [Fact]
    public async Task AReplyInGeneralIsNoTopicAndAPrivateChatNeverStoresOne()
    {
        await using var host = await StartAsync();
        // A reply in General carries the message_thread_id of the message replied to, without is_topic_message.
        var reply = UpdateJson.Text(Forum, "/subscribe");
        reply["message"]!["chat"]!["is_forum"] = true;
        reply["message"]!["message_thread_id"] = 5012;

        var answer = await SendAsync(host, reply);
        var inPrivate = UpdateJson.Text(4201, "/subscribe");
        inPrivate["message"]!["message_thread_id"] = 9;
        inPrivate["message"]!["is_topic_message"] = true;
        await host.DeliverAsync(inPrivate);
        await host.Api.WaitForMessageAsync(4201);

        Assert.Contains("Each issue will arrive in General", answer.Text, StringComparison.Ordinal);
        Assert.Null(await StoredThreadAsync(host));
        Assert.Null(await host.App.QueryAsync(db => db.Subscribers.Where(s => s.ChatId == "4201").Select(s => s.ThreadId).SingleAsync()));
    }

    [Fact]
    public async Task TheTopicChoiceIsSaidInChinese()
    {
        await using var host = await StartAsync();
        var update = InForum("/subscribe", Topic);
        update["message"]!["from"]!["language_code"] = "zh-hans";

        var answer = await SendAsync(host, update);

        Assert.Contains("每期会推送到这个话题", answer.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("deleted")]
    [InlineData("closed")]
    public async Task WhenTheChosenTopicIsGoneTheIssueArrivesInGeneralOnceAndTheTopicIsForgotten(string what)
    {
        await using var host = await StartAsync();
        await SendAsync(host, InForum("/subscribe", Topic));
        if (what == "deleted")
            host.Api.DeleteForumTopic(Forum, Topic);
        else
            host.Api.CloseForumTopic(Forum, Topic);

        var issue = await PublishNextWeekAsync(host);
        await PushDoneAsync(host, issue);

        var tried = DigestsTried(host);
        var refused = Assert.Single(tried, c => c.MessageId is null);
        Assert.Equal("77", refused["message_thread_id"]);
        var delivered = Assert.Single(tried, c => c.MessageId is not null);
        Assert.Null(delivered["message_thread_id"]);
        Assert.Null(await StoredThreadAsync(host));
        var delivery = await host.App.QueryAsync(db => db.DeliveriesOfIssue(issue).To(db, ForumId).SingleAsync());
        Assert.Equal(DeliveryStatus.Sent, delivery.Status);

        // The next push goes straight to General.
        await using (var scope = host.App.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<Broadcaster>().QueueAsync("下周停更一次", "admin", CancellationToken.None);
        var broadcast = await host.Api.WaitForMessageAsync(Forum, c => c.Text.Contains("下周停更一次", StringComparison.Ordinal), "the announcement in General");
        Assert.Null(broadcast["message_thread_id"]);
        Assert.Single(host.Api.CallsTo("sendMessage"), c => c.ChatId == ForumId && c.Text.Contains("下周停更一次", StringComparison.Ordinal));
    }

    // An administrator may still write in a closed topic; the bot may not (TOPIC_CLOSED). The answer to /subscribe sent
    // there comes in General and says what happens: the issues come to General until the topic is reopened and
    // /subscribe is sent in it again, and so they do, without a first try in the closed topic.
    [Fact]
    public async Task SubscribingInAClosedTopicIsAnsweredInGeneralSayingTheIssuesComeThere()
    {
        await using var host = await StartAsync();
        host.Api.CloseForumTopic(Forum, Topic);

        var answer = await SendAsync(host, InForum("/subscribe", Topic));
        var issue = await PublishNextWeekAsync(host);
        await PushDoneAsync(host, issue);

        Assert.Null(answer["message_thread_id"]);
        Assert.StartsWith("This topic is closed", answer.Text, StringComparison.Ordinal);
        Assert.Contains("Issues will arrive in General until the topic is reopened and /subscribe is sent there again.", answer.Text, StringComparison.Ordinal);
        Assert.Contains("Subscribed.", answer.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("in this topic", answer.Text, StringComparison.Ordinal);
        Assert.Single(host.Api.CallsTo("sendMessage"), c => c.ChatId == ForumId && c["message_thread_id"] == "77");
        Assert.Null(await StoredThreadAsync(host));
        var digest = Assert.Single(DigestsTried(host));
        Assert.Null(digest["message_thread_id"]);
        Assert.NotNull(digest.MessageId);
    }

    [Fact]
    public async Task AnAnnouncementGoesToTheChosenTopicToo()
    {
        await using var host = await StartAsync();
        await SendAsync(host, InForum("/subscribe", Topic));

        await using (var scope = host.App.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<Broadcaster>().QueueAsync("下周停更一次", "admin", CancellationToken.None);

        var broadcast = await host.Api.WaitForMessageAsync(Forum, c => c.Text.Contains("下周停更一次", StringComparison.Ordinal), "the announcement in the topic");
        Assert.Equal("77", broadcast["message_thread_id"]);
    }
}
