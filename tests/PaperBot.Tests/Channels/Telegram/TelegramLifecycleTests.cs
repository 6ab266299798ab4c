using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using PaperBot.Core.Issues;
using PaperBot.Core.Publishing;
using PaperBot.Core.Sending;
using PaperBot.Core.Subscribers;

namespace PaperBot.Tests.Channels.Telegram;

/// <summary>Start-up, menus, channels, group migration, languages, admins and the token's secrecy.</summary>
public sealed class TelegramLifecycleTests
{
    private const long Reader = 5301;
    private const long Admin = 777_001;

    private static Task<Subscriber?> SubscriberAsync(TelegramHost host, string chatId) =>
        host.App.QueryAsync(db => db.Subscribers.Include(s => s.Topics).AsNoTracking()
            .FirstOrDefaultAsync(s => s.Channel == Channel.Telegram && s.ChatId == chatId));

    private static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);

    [Fact]
    public async Task PollingStartsWithGetMeAndMenusThenDeletesTheWebhookBeforeTheFirstGetUpdates()
    {
        await using var host = await TelegramHost.StartAsync(Receiving.Polling, new Dictionary<string, string?> { ["Admins:Telegram:0"] = Id(Admin) });

        var methods = host.Api.Calls.Select(c => c.Method).ToList();
        // Menus: Chinese, English and the default, for everyone and for the one admin's chat.
        Assert.Equal(
            ["getMe", "setMyCommands", "setMyCommands", "setMyCommands", "setMyCommands", "setMyCommands", "setMyCommands", "deleteWebhook", "getUpdates"],
            methods.Take(9));
        Assert.DoesNotContain("setWebhook", methods);
        var poll = host.Api.CallsTo("getUpdates")[0];
        Assert.Equal("5", poll["timeout"]);
        Assert.Contains("callback_query", poll["allowed_updates"], StringComparison.Ordinal);
        Assert.Contains("my_chat_member", poll["allowed_updates"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task PollingSurvivesABotApiOutageAndCarriesOn()
    {
        await using var host = await TelegramHost.StartAsync(Receiving.Polling);
        host.Api.FailNext("getUpdates", FakeAnswer.BadGateway);

        await host.AskAsync(Reader, "/start");
        await host.Api.WaitForAsync(calls => calls.Count(c => c.Method == "getUpdates") >= 2, "the poll after /start, which fails");
        host.Api.Enqueue(UpdateJson.Text(Reader, "/paper 4"));
        var answer = await host.Api.WaitForMessageAsync(Reader, c => c.Text.Contains("Rho-1", StringComparison.Ordinal));

        Assert.True(host.Api.CallsTo("getUpdates").Count >= 3);
        Assert.Contains("Rho-1", answer.Text, StringComparison.Ordinal);
    }

    // The host would wait up to its shutdown timeout for the bot; with that longer than the poll, a bot that waited for
    // its poll would see the fake answer it (an empty list after 50 s), and a bot that ends the poll cuts the connection.
    [Fact]
    public async Task ShutdownEndsALongPollAtOnce()
    {
        var host = await TelegramHost.StartAsync(Receiving.Polling, new Dictionary<string, string?>
        {
            ["Telegram:PollingTimeoutSeconds"] = "50",
            ["shutdownTimeoutSeconds"] = "120",
        });
        Assert.Equal(TimeSpan.FromSeconds(120), host.App.Services.GetRequiredService<IOptions<HostOptions>>().Value.ShutdownTimeout);
        var polls = host.Api.CallsTo("getUpdates").Count;

        await host.App.DisposeAsync();

        await host.Api.WaitForAsync(_ => host.Api.AbandonedPolls == 1, "the bot to cut its long poll");
        Assert.Equal(polls, host.Api.CallsTo("getUpdates").Count);
        await host.DisposeAsync();
    }

    [Fact]
    public async Task MenusComeInChineseAndEnglishWithAnAdminScopeForEachAdmin()
    {
        await using var host = await TelegramHost.StartAsync(Receiving.Polling, new Dictionary<string, string?> { ["Admins:Telegram:0"] = Id(Admin) });

        var menus = host.Api.CallsTo("setMyCommands");
        var chinese = Assert.Single(menus, m => m["language_code"] == "zh" && m["scope"]!.Contains("\"default\"", StringComparison.Ordinal));
        var english = Assert.Single(menus, m => m["language_code"] == "en" && m["scope"]!.Contains("\"default\"", StringComparison.Ordinal));
        var admin = menus.Where(m => m["scope"]!.Contains(Id(Admin), StringComparison.Ordinal)).ToList();

        Assert.Equal(6, menus.Count);
        Assert.Contains("\"command\":\"paper\"", chinese["commands"], StringComparison.Ordinal);
        Assert.Contains("论文", System.Text.RegularExpressions.Regex.Unescape(chinese["commands"]!), StringComparison.Ordinal);
        Assert.DoesNotContain("publish", english["commands"], StringComparison.Ordinal);
        Assert.Equal(3, admin.Count);
        Assert.All(admin, m => Assert.Contains("\"command\":\"publish\"", m["commands"], StringComparison.Ordinal));
        Assert.All(admin, m => Assert.Contains("\"type\":\"chat\"", m["scope"], StringComparison.Ordinal));
    }

    [Fact]
    public async Task WebhookModeSetsTheWebhookWithItsSecretAndNeverPolls()
    {
        await using var host = await TelegramHost.StartAsync(Receiving.Webhook);

        var hook = Assert.Single(host.Api.CallsTo("setWebhook"));
        Assert.Equal(TelegramHost.WebhookUrl, hook["url"]);
        Assert.Equal(TelegramHost.Secret, hook["secret_token"]);
        Assert.Contains("callback_query", hook["allowed_updates"], StringComparison.Ordinal);
        Assert.Empty(host.Api.CallsTo("getUpdates"));
    }

    [Theory]
    [InlineData(Receiving.Polling)]
    [InlineData(Receiving.Webhook)]
    public async Task DeepLinkStartPaper4SubscribesAndOpensRho1(Receiving mode)
    {
        await using var host = await TelegramHost.StartAsync(mode);

        await host.DeliverAsync(UpdateJson.Text(Reader, "/start paper_4"));
        var sent = await host.Api.WaitForAsync(_ => host.Api.SentTo(Reader).Count == 2, "welcome and paper 4");

        Assert.Contains("Welcome", host.Api.SentTo(Reader)[0].Text, StringComparison.Ordinal);
        Assert.Contains("Rho-1", host.Api.SentTo(Reader)[1].Text, StringComparison.Ordinal);
        Assert.Equal(SubscriberStatus.Active, (await SubscriberAsync(host, Id(Reader)))!.Status);
    }

    // Issue 1 is the sample; issues 2, 3 and 4 are published after it, each with its own fourth paper.
    [Fact]
    public async Task DeepLinkStartPaper3Underscore4OpensPaper4OfIssue3AndNotOfTheNewestIssue()
    {
        await using var host = await TelegramHost.StartAsync(Receiving.Webhook);
        foreach (var issue in new[] { 2, 3, 4 })
            Assert.Equal(issue, await PublishIssueAsync(host, $"Rho-1 (week {issue})"));

        await host.DeliverAsync(UpdateJson.Text(Reader, "/start paper_3_4"));
        await host.Api.WaitForAsync(_ => host.Api.SentTo(Reader).Count == 2, "welcome and paper 4 of issue 3");

        Assert.Contains("Welcome", host.Api.SentTo(Reader)[0].Text, StringComparison.Ordinal);
        var paper = host.Api.SentTo(Reader)[1].Text;
        Assert.Contains("Rho-1 (week 3)", paper, StringComparison.Ordinal);
        Assert.DoesNotContain("week 4", paper, StringComparison.Ordinal);
        Assert.Equal(SubscriberStatus.Active, (await SubscriberAsync(host, Id(Reader)))!.Status);
    }

    private static async Task<int> PublishIssueAsync(TelegramHost host, string fourthTitle)
    {
        var text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "samples", "digest-sample.txt")).Replace("Rho-1", fourthTitle, StringComparison.Ordinal);
        await using var scope = host.App.Services.CreateAsyncScope();
        var imported = await scope.ServiceProvider.GetRequiredService<IssueImporter>().ImportAsync(text, null, "test", CancellationToken.None, fetchMetadata: false);
        var issue = Assert.IsType<ImportOutcome.Imported>(imported).IssueId;
        Assert.IsType<PublishOutcome.Published>(await scope.ServiceProvider.GetRequiredService<IssuePublisher>().PublishAsync(issue, "test", CancellationToken.None));
        return issue;
    }

    [Theory]
    [InlineData(Receiving.Polling)]
    [InlineData(Receiving.Webhook)]
    public async Task ASupergroupMigrationMovesTheSubscriberWithItsTopics(Receiving mode)
    {
        await using var host = await TelegramHost.StartAsync(mode);
        const long group = -5001;
        const long supergroup = -1005001;
        host.Api.SetChatMember(group, UpdateJson.GroupMember, "administrator");
        await host.DeliverAsync(UpdateJson.Text(group, "/start"));
        await host.DeliverAsync(UpdateJson.Text(group, "/topics add moe"));
        await host.Api.WaitForAsync(_ => host.Api.SentTo(group).Count == 2, "the group subscribed with a topic");

        await host.DeliverAsync(UpdateJson.Migrate(group, supergroup));
        await host.SettleAsync();

        Assert.Null(await SubscriberAsync(host, Id(group)));
        var moved = await SubscriberAsync(host, Id(supergroup));
        Assert.Equal(SubscriberStatus.Active, moved!.Status);
        Assert.Equal(ChatKind.Group, moved.Kind);
        Assert.Equal(["moe"], moved.Topics.Select(t => t.Topic));
    }

    [Fact]
    public async Task AReplyToAMigratedGroupFollowsItToTheSupergroup()
    {
        await using var host = await TelegramHost.StartAsync(Receiving.Polling);
        const long group = -5002;
        const long supergroup = -1005002;
        host.Api.SetChatMember(group, UpdateJson.GroupMember, "creator");
        await host.DeliverAsync(UpdateJson.Text(group, "/start"));
        await host.Api.WaitForMessageAsync(group);

        host.Api.FailNext("sendMessage", FakeAnswer.Migrated(supergroup));
        await host.DeliverAsync(UpdateJson.Text(group, "/paper 4"));
        var answer = await host.Api.WaitForMessageAsync(supergroup);

        Assert.Contains("Rho-1", answer.Text, StringComparison.Ordinal);
        Assert.Equal(SubscriberStatus.Active, (await SubscriberAsync(host, Id(supergroup)))!.Status);
    }

    // The bot and the fake share one clock, which only the test moves, a second at a time: the retry's arrival on it
    // shows whether the bot waited retry_after.
    [Fact]
    public async Task ReplyRateLimitedBy429IsRetriedOnceAfterRetryAfter()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 1, 0, 0, TimeSpan.Zero));
        await using var host = await TelegramHost.StartAsync(Receiving.Polling, clock: clock);
        host.Api.FailNext("sendMessage", FakeAnswer.TooManyRequests(3));

        await host.DeliverAsync(UpdateJson.Text(Reader, "/paper 4"));
        var limited = await host.Api.WaitForCallAsync("sendMessage", _ => true, "the reply that gets 429");
        for (var second = 0; second < 10 && host.Api.SentTo(Reader).Count == 0; second++)
        {
            try
            {
                await host.Api.WaitForAsync(_ => host.Api.SentTo(Reader).Count > 0, "the retry", TimeSpan.FromMilliseconds(300));
            }
            catch (TimeoutException)
            {
                clock.Advance(TimeSpan.FromSeconds(1));
            }
        }

        var answer = Assert.Single(host.Api.SentTo(Reader));
        Assert.Contains("Rho-1", answer.Text, StringComparison.Ordinal);
        Assert.Equal(2, host.Api.CallsTo("sendMessage").Count);
        Assert.InRange(answer.At - limited.At, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task LanguageFollowsTheClientUntilTheUserChoosesOne()
    {
        await using var host = await TelegramHost.StartAsync(Receiving.Polling);

        var chinese = await host.AskAsync(Reader, "/help", language: "zh-hans");
        await host.AskAsync(Reader, "/lang en", language: "zh-hans");
        var english = await host.AskAsync(Reader, "/help", language: "zh-hans");

        Assert.Contains("每周", chinese.Text, StringComparison.Ordinal);
        Assert.Contains("the weekly AI paper digest", english.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AdminCommandsAreRefusedToOthersAndAuditedForAdmins()
    {
        await using var host = await TelegramHost.StartAsync(Receiving.Polling, new Dictionary<string, string?> { ["Admins:Telegram:0"] = Id(Admin) });

        var refused = await host.AskAsync(Reader, "/broadcast hello");
        var stats = await host.AskAsync(Admin, "/stats");
        var preview = await host.AskAsync(Admin, "/broadcast New issue on Monday <3 & more");
        var draft = await host.App.QueryAsync(db => db.Pushes.Where(p => p.Kind == Core.Publishing.PushKind.Broadcast).Select(p => p.Id).SingleAsync());
        var queued = await host.AskAsync(Admin, $"/send {draft}");
        // A fourth answer to one chat within a second is over Telegram's limit (a burst of three); a person types slower.
        await Task.Delay(TimeSpan.FromSeconds(1.1));
        var publish = await host.AskAsync(Admin, "/publish");

        Assert.Contains("for admins only", refused.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("admins only", stats.Text, StringComparison.Ordinal);
        Assert.Contains("New issue on Monday &lt;3 &amp; more", preview.Text, StringComparison.Ordinal);
        Assert.Contains("Announcement queued", queued.Text, StringComparison.Ordinal);
        Assert.Contains("Nothing to publish", publish.Text, StringComparison.Ordinal);
        var audit = await host.App.QueryAsync(db => db.AuditLog.AsNoTracking().Where(a => a.Actor == $"telegram:{Admin}").Select(a => a.Action).ToListAsync());
        Assert.Contains("stats", audit);
        Assert.Contains("broadcast", audit);
        Assert.Equal(0, await host.App.QueryAsync(db => db.AuditLog.CountAsync(a => a.Actor == $"telegram:{Reader}")));
    }

    [Fact]
    public async Task ConfiguredChannelsBecomeActiveChannelSubscribers()
    {
        await using var host = await TelegramHost.StartAsync(Receiving.Polling, new Dictionary<string, string?>
        {
            ["Telegram:Channels:0"] = "@paperbot_weekly",
            ["Telegram:Channels:1"] = "-1001234567890",
        });

        var channels = await host.App.QueryAsync(db => db.Subscribers.AsNoTracking().Where(s => s.Kind == ChatKind.Channel).OrderBy(s => s.ChatId).ToListAsync());

        Assert.Equal(["-1001234567890", "@paperbot_weekly"], channels.Select(c => c.ChatId));
        Assert.All(channels, c => Assert.Equal(SubscriberStatus.Active, c.Status));
        Assert.All(channels, c => Assert.Equal(Channel.Telegram, c.Channel));
    }

    [Fact]
    public async Task TheSenderPostsToAChannelByNameWithPaidBroadcastWhenAllowed()
    {
        await using var host = await TelegramHost.StartAsync(Receiving.Polling, new Dictionary<string, string?> { ["Telegram:AllowPaidBroadcast"] = "true" });
        var sender = host.App.Services.GetServices<IChannelSender>().Single(s => s.Channel == Channel.Telegram);

        var outcome = await sender.SendAsync(new Recipient(1, Channel.Telegram, "@paperbot_weekly", ChatKind.Channel, "zh"),
            [PaperBot.Core.Commands.ReplyMessage.Text("第 2 期 <已发布> & more")], fromPart: 0, CancellationToken.None);

        Assert.Equal(new SendResult(new SendOutcome.Delivered(), 1), outcome);
        var sent = Assert.Single(host.Api.CallsTo("sendMessage"));
        Assert.Equal("@paperbot_weekly", sent.ChatId);
        Assert.Equal("第 2 期 &lt;已发布&gt; &amp; more", sent.Text);
        Assert.Equal("true", sent["allow_paid_broadcast"], ignoreCase: true);
    }

    public static TheoryData<string, Type> Failures => new()
    {
        { "blocked", typeof(SendOutcome.ChatGone) },
        { "429", typeof(SendOutcome.RetryAfter) },
        { "migrated", typeof(SendOutcome.ChatMoved) },
        { "chat not found", typeof(SendOutcome.ChatGone) },
        { "bad request", typeof(SendOutcome.Failed) },
        { "500", typeof(SendOutcome.Transient) },
        { "502 html", typeof(SendOutcome.Transient) },
        { "dropped", typeof(SendOutcome.Ambiguous) },
        { "unauthorized", typeof(SendOutcome.ChannelDown) },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public async Task TheSenderMapsEachBotApiFailureToAnOutcome(string failure, Type expected)
    {
        await using var host = await TelegramHost.StartAsync(Receiving.Polling);
        var sender = host.App.Services.GetServices<IChannelSender>().Single(s => s.Channel == Channel.Telegram);
        host.Api.FailNext("sendMessage", failure switch
        {
            "blocked" => FakeAnswer.Blocked,
            "429" => FakeAnswer.TooManyRequests(3),
            "migrated" => FakeAnswer.Migrated(-1009876),
            "chat not found" => FakeAnswer.ChatNotFound,
            "bad request" => FakeAnswer.Error(400, "Bad Request: can't parse entities: Unsupported start tag \"x\" at byte offset 0"),
            "500" => FakeAnswer.ServerError,
            "502 html" => FakeAnswer.BadGateway,
            "unauthorized" => FakeAnswer.Error(401, "Unauthorized"),
            _ => FakeAnswer.Dropped,
        });

        var (outcome, parts) = await sender.SendAsync(new Recipient(1, Channel.Telegram, Id(Reader), ChatKind.Private, "en"),
            [PaperBot.Core.Commands.ReplyMessage.Text("hello")], fromPart: 0, CancellationToken.None);

        Assert.IsType(expected, outcome);
        Assert.Equal(0, parts);
        if (outcome is SendOutcome.RetryAfter limited)
        {
            Assert.Equal(TimeSpan.FromSeconds(3), limited.Wait);
            Assert.Equal(RetryScope.Channel, limited.Scope);
        }

        if (outcome is SendOutcome.ChatMoved moved)
            Assert.Equal("-1009876", moved.NewChatId);
        Assert.Single(host.Api.CallsTo("sendMessage"));
    }

    [Fact]
    public async Task TheTokenNeverReachesTheLog()
    {
        var logs = new LogCapture();
        await using (var host = await TelegramHost.StartAsync(Receiving.Polling, new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Trace",
            ["Logging:LogLevel:System.Net.Http.HttpClient"] = "Trace",
            ["Logging:LogLevel:Microsoft"] = "Trace",
        }, logs))
        {
            await host.AskAsync(Reader, "/start");
            host.Api.FailNext("sendMessage", FakeAnswer.ServerError);
            host.Api.FailNext("getUpdates", FakeAnswer.Dropped);
            await host.DeliverAsync(UpdateJson.Text(Reader, "/paper 4"));
            host.Api.FailNext("sendMessage", FakeAnswer.Dropped);
            await host.DeliverAsync(UpdateJson.Text(Reader, "/paper 5"));
            await host.AskAsync(Reader, "/paper 6");
            var sender = host.App.Services.GetServices<IChannelSender>().Single();
            host.Api.FailNext("sendMessage", FakeAnswer.Blocked);
            await sender.SendAsync(new Recipient(1, Channel.Telegram, Id(Reader), ChatKind.Private, "en"), [PaperBot.Core.Commands.ReplyMessage.Text("x")], fromPart: 0, CancellationToken.None);
        }

        var lines = logs.Lines;
        Assert.Contains(lines, l => l.Contains("telegram: on as @PaperTestBot, long polling", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("telegram: unable to reply in chat", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("telegram: unable to send part 1 of 1 to chat", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains(FakeBotApi.Token, StringComparison.Ordinal) || l.Contains(FakeBotApi.Token.Split(':')[1], StringComparison.Ordinal));
    }

    [Fact]
    public async Task WithoutATokenTelegramIsOffAndSaysHowToTurnItOn()
    {
        var logs = new LogCapture();
        using var app = new PaperBotApp(new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Information" }).WithLogs(logs);
        var client = app.CreateClient();

        var webhook = await client.PostAsync("/telegram/webhook", new StringContent("{}"));

        Assert.Equal(System.Net.HttpStatusCode.NotFound, webhook.StatusCode);
        Assert.Empty(app.Services.GetServices<IChannelSender>());
        await WaitUntilAsync(() => logs.Lines.Any(l => l.Contains("telegram: off; set Telegram__BotToken to a token from @BotFather to turn it on", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task TheProgramWithoutATokenSaysInOneLineHowToTurnTelegramOn()
    {
        await using var host = HostProcess.Start();

        Assert.True(await host.WaitForHealthyAsync(TimeSpan.FromSeconds(30)), host.Output + host.Error);
        await WaitUntilAsync(() => host.Output.Contains("telegram: off", StringComparison.Ordinal));

        var line = Assert.Single(host.Output.Split('\n'), l => l.Contains("telegram:", StringComparison.Ordinal));
        Assert.Contains("telegram: off; set Telegram__BotToken to a token from @BotFather to turn it on", line, StringComparison.Ordinal);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out");
            await Task.Delay(20);
        }
    }
}
