using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using PaperBot.Core.Data;
using PaperBot.Core.Issues;
using PaperBot.Core.Publishing;
using PaperBot.Core.Sending;
using PaperBot.Core.Subscribers;
using PaperBot.TestServices;

namespace PaperBot.Core.Tests.Sending;

public class SendingEngineTests : StorageTests
{
    private static readonly Dictionary<string, string?> Unlimited = new() { ["Delivery:MessagesPerSecond"] = "0", ["Delivery:RetryDelay"] = "00:00:00.100" };

    private static string NextWeek(int n = 1) => TestFiles.SampleText.Replace("超越 Transformer", $"超越 RNN {n}", StringComparison.Ordinal);

    private static async Task<int> PublishNextWeekAsync(CoreHarness harness, int n = 1)
    {
        var imported = Assert.IsType<ImportOutcome.Imported>(await harness.UseAsync<IssueImporter, ImportOutcome>(i => i.ImportAsync(NextWeek(n), null, "test", CancellationToken.None)));
        var published = Assert.IsType<PublishOutcome.Published>(await harness.UseAsync<IssuePublisher, PublishOutcome>(p => p.PublishAsync(imported.IssueId, "test", CancellationToken.None)));
        return published.PushId;
    }

    private static Task<Dictionary<string, DeliveryStatus>> StatusesAsync(CoreHarness harness, int pushId) =>
        harness.QueryAsync(db => db.Deliveries.Where(d => d.PushId == pushId).WithChats(db).ToDictionaryAsync(d => d.ChatId, d => d.Delivery.Status));

    // README: Delivery__MaxConcurrency, sends in flight per channel. Ten subscribers are claimed in one batch and three
    // sends may be out: every send is held until the test lets them go, so without the bound all ten would be out.
    [SkippableFact]
    public async Task NoMoreSendsAreOutAtOnceThanMaxConcurrencyAllowsAndEveryoneStillGetsTheIssue()
    {
        var sender = new HeldSender();
        await using var harness = await StartAsync(settings: new Dictionary<string, string?>(Unlimited) { ["Delivery:MaxConcurrency"] = "3" }, senders: sender);
        var readers = new[] { "1", "2", "3", "4", "5", "6", "7", "8", "9", "10" };
        foreach (var user in readers)
            await harness.SendAsync("/start", user: user);

        await PublishNextWeekAsync(harness);
        await Eventually.AssertAsync(() => Task.FromResult(sender.Out >= 3), "three sends to be out");
        sender.LetGo();
        await harness.WaitForDeliveriesAsync();

        Assert.Equal(3, sender.MostOutAtOnce);
        Assert.Equal(readers.Order(), sender.SentTo.Order());
    }

    [SkippableFact]
    public async Task EverySubscriberGetsTheIssueOnceAndThePushCompletes()
    {
        var sender = new RecordingSender();
        await using var harness = await StartAsync(settings: Unlimited, senders: sender);
        foreach (var user in new[] { "1", "2", "3" })
            await harness.SendAsync("/start", user: user);

        var pushId = await PublishNextWeekAsync(harness);
        await harness.WaitForDeliveriesAsync();

        Assert.Equal(["1", "2", "3"], sender.SentTo.Order());
        Assert.All((await StatusesAsync(harness, pushId)).Values, s => Assert.Equal(DeliveryStatus.Sent, s));
        Assert.NotNull(await harness.QueryAsync(db => db.Pushes.Where(p => p.Id == pushId).Select(p => p.CompletedAt).SingleAsync()));
        Assert.Contains("超越 RNN 1", sender.TextSentTo("1"), StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task EachSubscriberGetsOnlyThePapersOfTheirTopicsAndALineAboutTheRest()
    {
        var sender = new RecordingSender();
        await using var harness = await StartAsync(settings: Unlimited, senders: sender);
        await harness.SendAsync("/start", user: "everything");
        await harness.SendAsync("/start", user: "context", language: "en");
        await harness.SendAsync("/topics add long-context", user: "context", language: "en");

        await PublishNextWeekAsync(harness);
        await harness.WaitForDeliveriesAsync();

        var all = sender.TextSentTo("everything");
        Assert.Contains("本期共 14 篇论文", all, StringComparison.Ordinal);
        Assert.Contains("13. Concept Weaver", all, StringComparison.Ordinal);

        var filtered = sender.TextSentTo("context");
        Assert.Contains("5. UC 伯克利提出 LLoCO", filtered, StringComparison.Ordinal);
        Assert.Contains("7. 谷歌提出无限上下文 Transformer", filtered, StringComparison.Ordinal);
        Assert.DoesNotContain("13. Concept Weaver", filtered, StringComparison.Ordinal);
        Assert.Matches(@"\d+ more are outside your topics: /topics changes the filter", filtered);
    }

    [SkippableFact]
    public async Task ASubscriberWhomNoPaperMatchesGetsNothingAndCountsAsSkipped()
    {
        var sender = new RecordingSender();
        await using var harness = await StartAsync(settings: Unlimited, senders: sender);
        await harness.SendAsync("/start", user: "robots");
        await harness.SendAsync("/topics add embodied", user: "robots");
        await harness.SendAsync("/start", user: "reader");

        var pushId = await PublishNextWeekAsync(harness);
        await harness.WaitForDeliveriesAsync();

        Assert.Equal(["reader"], sender.SentTo);
        Assert.Equal(DeliveryStatus.Skipped, (await StatusesAsync(harness, pushId))["robots"]);
    }

    [SkippableFact]
    public async Task ATopicRemovedFromTheCatalogueFiltersNothingSoItsSubscribersStillGetTheIssue()
    {
        var sender = new RecordingSender();
        await using var harness = await StartAsync(settings: Unlimited, senders: sender);
        await harness.SendAsync("/start", user: "retired");
        await harness.SendAsync("/start", user: "mixed", language: "en");
        await harness.SendAsync("/topics add long-context", user: "mixed", language: "en");
        // Chosen when config/topics.json still had it; the catalogue has no such topic now, and no paper will carry it.
        foreach (var chat in new[] { "retired", "mixed" })
        {
            await harness.QueryAsync(async db =>
            {
                var subscriber = await db.Subscribers.Include(s => s.Topics).SingleAsync(s => s.ChatId == chat);
                subscriber.Topics.Add(new SubscriberTopic { Topic = "world-models" });
                return await db.SaveChangesAsync();
            });
        }

        var pushId = await PublishNextWeekAsync(harness);
        await harness.WaitForDeliveriesAsync();

        Assert.Equal(DeliveryStatus.Sent, (await StatusesAsync(harness, pushId))["retired"]);
        var retired = sender.TextSentTo("retired");
        Assert.Contains("本期共 14 篇论文", retired, StringComparison.Ordinal);
        Assert.Contains("13. Concept Weaver", retired, StringComparison.Ordinal);
        var mixed = sender.TextSentTo("mixed");
        Assert.Contains("7. 谷歌提出无限上下文 Transformer", mixed, StringComparison.Ordinal);
        Assert.DoesNotContain("13. Concept Weaver", mixed, StringComparison.Ordinal);
        Assert.Contains("match your topics (Long context)", mixed, StringComparison.Ordinal);
        Assert.Contains("全部话题", (await harness.SendAsync("/topics", user: "retired")).Messages[0].ToPlainText(), StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task ASubscriberGetsEveryPaperTaggedWithAnyOfTheirTopicsAndNoOtherAndAnUntaggedPaperOnlyReachesThoseWhoFilterNothing()
    {
        var sender = new RecordingSender();
        await using var harness = await StartAsync(settings: Unlimited, senders: sender);
        await harness.SendAsync("/start", user: "everything", language: "en");
        await harness.SendAsync("/start", user: "two", language: "en");
        await harness.SendAsync("/topics add agents", user: "two", language: "en");
        await harness.SendAsync("/topics add reasoning", user: "two", language: "en");
        await harness.SendAsync("/start", user: "code", language: "en");
        await harness.SendAsync("/topics add code", user: "code", language: "en");
        var imported = Assert.IsType<ImportOutcome.Imported>(await harness.UseAsync<IssueImporter, ImportOutcome>(i => i.ImportAsync(NextWeek(), null, "test", CancellationToken.None)));
        // Topics set by hand, whatever the tagger gave: paper 1 has none, 2 agents, 3 reasoning, 4 agents and code, the rest multimodal.
        await harness.QueryAsync(async db =>
        {
            var papers = await db.Papers.Include(p => p.Topics).Where(p => p.IssueId == imported.IssueId).ToListAsync();
            foreach (var paper in papers)
            {
                paper.Topics.Clear();
                string[] topics = paper.Number switch { 1 => [], 2 => ["agents"], 3 => ["reasoning"], 4 => ["agents", "code"], _ => ["multimodal"] };
                foreach (var topic in topics)
                    paper.Topics.Add(new PaperTopic { Topic = topic });
            }

            return await db.SaveChangesAsync();
        });

        var published = Assert.IsType<PublishOutcome.Published>(await harness.UseAsync<IssuePublisher, PublishOutcome>(p => p.PublishAsync(imported.IssueId, "test", CancellationToken.None)));
        await harness.WaitForDeliveriesAsync();

        Assert.Equal(Enumerable.Range(1, 14), Numbers(sender.TextSentTo("everything")));
        Assert.Equal([2, 3, 4], Numbers(sender.TextSentTo("two")));
        Assert.Contains("3 of 14 papers match your topics", sender.TextSentTo("two"), StringComparison.Ordinal);
        Assert.Contains("11 more are outside your topics", sender.TextSentTo("two"), StringComparison.Ordinal);
        Assert.Equal([4], Numbers(sender.TextSentTo("code")));
        Assert.Contains("13 more are outside your topics", sender.TextSentTo("code"), StringComparison.Ordinal);
        Assert.All((await StatusesAsync(harness, published.PushId)).Values, s => Assert.Equal(DeliveryStatus.Sent, s));

        static IEnumerable<int> Numbers(string digest) => digest.Split('\n')
            .Select(line => System.Text.RegularExpressions.Regex.Match(line, @"^(\d+)\. "))
            .Where(m => m.Success)
            .Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
    }

    [SkippableFact]
    public async Task AnEditorsTagCorrectionDuringAPushReachesTheMessagesRenderedAfterIt()
    {
        var sender = new RecordingSender();
        // A send that fails is tried again after three seconds: the correction lands in between.
        await using var harness = await StartAsync(settings: new Dictionary<string, string?>(Unlimited) { ["Delivery:RetryDelay"] = "00:00:03" }, senders: sender);
        foreach (var user in new[] { "early", "late" })
        {
            await harness.SendAsync("/start", user: user);
            await harness.SendAsync("/topics add long-context", user: user);
        }

        sender.Script("late", new SendOutcome.Transient("HTTP 502 from the Bot API"));
        var pushId = await PublishNextWeekAsync(harness);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (await harness.QueryAsync(db => db.Deliveries.CountAsync(d => d.PushId == pushId && d.Attempts == 1)) < 2)
        {
            Assert.True(DateTime.UtcNow < deadline, "the first sends were not recorded");
            await Task.Delay(20);
        }

        await harness.SendAsync("/tag 13 2 +long-context", user: CoreHarness.AdminId);
        await harness.WaitForDeliveriesAsync();

        Assert.DoesNotContain("13. Concept Weaver", sender.TextSentTo("early"), StringComparison.Ordinal);
        Assert.Contains("13. Concept Weaver", sender.TextSentTo("late"), StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task ARateLimitPausesTheChannelAndLosesNothing()
    {
        var sender = new RecordingSender();
        sender.Script("2", new SendOutcome.RetryAfter(TimeSpan.FromSeconds(1), RetryScope.Channel, "Too Many Requests: retry after 1"));
        await using var harness = await StartAsync(settings: Unlimited, senders: sender);
        foreach (var user in new[] { "1", "2", "3", "4" })
            await harness.SendAsync("/start", user: user);

        var pushId = await PublishNextWeekAsync(harness);
        await harness.WaitForDeliveriesAsync();

        Assert.Equal(["1", "2", "3", "4"], sender.SentTo.Order());
        Assert.All((await StatusesAsync(harness, pushId)).Values, s => Assert.Equal(DeliveryStatus.Sent, s));
        Assert.NotNull(await harness.QueryAsync(db => db.ChannelThrottles.Select(t => t.PausedUntil).SingleAsync()));
    }

    [SkippableFact]
    public async Task ABlockedChatIsMarkedAndLeftOutOfLaterPushes()
    {
        var sender = new RecordingSender();
        sender.Script("2", new SendOutcome.ChatGone("Forbidden: bot was blocked by the user"));
        await using var harness = await StartAsync(settings: Unlimited, senders: sender);
        await harness.SendAsync("/start", user: "1");
        await harness.SendAsync("/start", user: "2");

        var first = await PublishNextWeekAsync(harness, 1);
        await harness.WaitForDeliveriesAsync();
        var second = await PublishNextWeekAsync(harness, 2);
        await harness.WaitForDeliveriesAsync();

        Assert.Equal(DeliveryStatus.Blocked, (await StatusesAsync(harness, first))["2"]);
        Assert.Equal(SubscriberStatus.Blocked, (await harness.SubscriberAsync("2"))!.Status);
        Assert.Equal(["1"], (await StatusesAsync(harness, second)).Keys);
        Assert.Contains("blocked", (await harness.QueryAsync(db => db.Deliveries.Where(d => d.PushId == first && d.Status == DeliveryStatus.Blocked).Select(d => d.LastError).SingleAsync()))!, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task TransientErrorsAreRetriedAndThenFailWithTheReason()
    {
        var sender = new RecordingSender();
        sender.Script("flaky", new SendOutcome.Transient("HTTP 502"));
        sender.Script("down", Enumerable.Repeat<SendOutcome>(new SendOutcome.Transient("HTTP 500 Internal Server Error"), 2).ToArray());
        var settings = new Dictionary<string, string?>(Unlimited) { ["Delivery:MaxAttempts"] = "2" };
        await using var harness = await StartAsync(settings: settings, senders: sender);
        await harness.SendAsync("/start", user: "flaky");
        await harness.SendAsync("/start", user: "down");

        var pushId = await PublishNextWeekAsync(harness);
        await harness.WaitForDeliveriesAsync(TimeSpan.FromSeconds(30));

        var deliveries = await harness.QueryAsync(db => db.Deliveries.Where(d => d.PushId == pushId).WithChats(db).ToListAsync());
        var flaky = deliveries.Single(d => d.ChatId == "flaky").Delivery;
        var down = deliveries.Single(d => d.ChatId == "down").Delivery;
        Assert.Equal((DeliveryStatus.Sent, 2), (flaky.Status, flaky.Attempts));
        Assert.Equal((DeliveryStatus.Failed, 2), (down.Status, down.Attempts));
        Assert.Equal("gave up after 2 attempts: HTTP 500 Internal Server Error", down.LastError);
    }

    [SkippableFact]
    public async Task AGroupThatMovedToASupergroupIsFollowed()
    {
        var sender = new RecordingSender();
        sender.Script("-100", new SendOutcome.ChatMoved("-100200300"));
        await using var harness = await StartAsync(settings: Unlimited, senders: sender);
        await harness.SendAsync("/start", user: "-100", chat: "-100", kind: ChatKind.Group);

        await PublishNextWeekAsync(harness);
        await harness.WaitForDeliveriesAsync();

        Assert.Equal(["-100200300"], sender.SentTo);
        Assert.NotNull(await harness.SubscriberAsync("-100200300"));
    }

    [SkippableFact]
    public async Task AGroupThatMovedToASupergroupWhereSomeoneAlreadySpokeGetsTheIssueThereOnce()
    {
        var sender = new RecordingSender();
        sender.Script("-100", new SendOutcome.ChatMoved("-100200300"));
        await using var harness = await StartAsync(settings: Unlimited, senders: sender);
        await harness.SendAsync("/start", user: "-100", chat: "-100", kind: ChatKind.Group);
        // A member asks something in the new supergroup before the bot learns of the move: the chat has a row, not subscribed.
        await harness.SendAsync("/help", user: "7", chat: "-100200300", kind: ChatKind.Group);

        var pushId = await PublishNextWeekAsync(harness);
        await harness.WaitForDeliveriesAsync();

        Assert.Equal(["-100200300"], sender.SentTo);
        Assert.Equal(SubscriberStatus.Active, (await harness.SubscriberAsync("-100200300"))!.Status);
        Assert.Equal([DeliveryStatus.Sent], await harness.QueryAsync(db => db.Deliveries.Where(d => d.PushId == pushId).Select(d => d.Status).ToListAsync()));
    }

    [SkippableFact]
    public async Task ABroadcastReachesEveryActiveSubscriberWhateverTheirTopics()
    {
        var sender = new RecordingSender();
        await using var harness = await StartAsync(settings: Unlimited, senders: sender);
        await harness.SendAsync("/start", user: "1");
        await harness.SendAsync("/topics add embodied", user: "1");
        await harness.SendAsync("/start", user: "2");

        await harness.UseAsync<Broadcaster, Push>(b => b.QueueAsync("下周停更一次", "test", CancellationToken.None));
        await harness.WaitForDeliveriesAsync();

        Assert.Equal(["1", "2"], sender.SentTo.Order());
        Assert.Contains("下周停更一次", sender.TextSentTo("1"), StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task ClaimsLeftByAStoppedInstanceAreResumedOnRestart()
    {
        var directory = Directory.CreateTempSubdirectory("paperbot-restart-").FullName;
        await using var postgres = Provider == StorageOptions.Postgres ? await PostgresDatabase.CreateAsync() : null;
        var settings = new Dictionary<string, string?>(Unlimited)
        {
            ["ConnectionStrings:PaperBot"] = postgres?.ConnectionString ?? $"Data Source={Path.Combine(directory, "db.sqlite")}",
        };
        int pushId;
        await using (var before = await StartAsync(settings: settings))
        {
            foreach (var user in new[] { "1", "2", "3" })
                await before.SendAsync("/start", user: user);
            pushId = await PublishNextWeekAsync(before);
            // What a crash mid-push leaves: claimed deliveries, never finished. On SQLite the claimer is this machine,
            // which takes them back at once; on PostgreSQL another process, whose lease has run out.
            var sqlite = Provider == StorageOptions.Sqlite;
            await before.QueryAsync(db => db.Deliveries.ExecuteUpdateAsync(d => d
                .SetProperty(x => x.ClaimedBy, sqlite ? Environment.MachineName : "crashed-host:4242")
                .SetProperty(x => x.ClaimedUntil, sqlite ? DateTimeOffset.UtcNow.AddHours(1) : DateTimeOffset.UtcNow.AddSeconds(-1))));
        }

        var sender = new RecordingSender();
        await using var after = await StartAsync(settings: settings, senders: sender);
        await after.WaitForDeliveriesAsync();

        Assert.Equal(["1", "2", "3"], sender.SentTo.Order());
        Assert.All((await StatusesAsync(after, pushId)).Values, s => Assert.Equal(DeliveryStatus.Sent, s));
    }

    [SkippableFact]
    public async Task ABatchChannelGetsOneCallPerDistinctMessage()
    {
        var sender = new BatchRecordingSender();
        await using var harness = await StartAsync(settings: Unlimited, senders: sender);
        foreach (var user in new[] { "a", "b", "c" })
            await harness.SendAsync("订阅", user: user, channel: Channel.WeChat);
        await harness.SendAsync("话题 添加 long-context", user: "c", channel: Channel.WeChat);

        await PublishNextWeekAsync(harness);
        await harness.WaitForDeliveriesAsync();

        Assert.Equal([["a", "b"], ["c"]], sender.Batches.Select(b => b.Order().ToArray()).OrderBy(b => b.Length == 1).ToArray());
    }

    // One mass send that got no answer is one failed send, not one per recipient: it must not stop the channel (ten in a
    // row do), whose probe would then send to one recipient and the rest apart, so the group sent again would no longer
    // be the one WeChat can recognise as a repeat by its clientmsgid.
    [SkippableFact]
    public async Task OneBatchCallWithoutAnAnswerIsOneFailedSendAndIsSentAgainAsTheSameGroup()
    {
        var sender = new BatchRecordingSender { FirstCall = new SendOutcome.Ambiguous("HttpRequestException: the connection was reset after the request") };
        await using var harness = await StartAsync(settings: new Dictionary<string, string?>(Unlimited) { ["Delivery:ProbeInterval"] = "00:00:01" }, senders: sender);
        var users = Enumerable.Range(1, 12).Select(i => $"o{i}").ToArray();
        foreach (var user in users)
            await harness.SendAsync("订阅", user: user, channel: Channel.WeChat);

        await PublishNextWeekAsync(harness);
        await harness.WaitForDeliveriesAsync();

        Assert.Equal([users.Order().ToArray(), users.Order().ToArray()], sender.Batches.Select(b => b.Order().ToArray()).ToArray());
        Assert.Null(await harness.QueryAsync(db => db.ChannelThrottles.Where(t => t.Channel == Channel.WeChat).Select(t => t.DownReason).SingleOrDefaultAsync()));
    }

    private sealed class BatchRecordingSender() : RecordingSender(Channel.WeChat), IBatchChannelSender
    {
        private int calls;

        public ConcurrentQueue<string[]> Batches { get; } = [];

        public int MaxBatchSize => 100;

        /// <summary>What the first call answers for every recipient; the others are delivered.</summary>
        public SendOutcome? FirstCall { get; init; }

        public Task<IReadOnlyList<SendOutcome>> SendBatchAsync(IReadOnlyList<Recipient> recipients, IReadOnlyList<Core.Commands.ReplyMessage> messages, CancellationToken cancellationToken)
        {
            Batches.Enqueue(recipients.Select(r => r.ChatId).ToArray());
            var outcome = Interlocked.Increment(ref calls) == 1 && FirstCall is { } first ? first : new SendOutcome.Delivered();
            return Task.FromResult<IReadOnlyList<SendOutcome>>(recipients.Select(_ => outcome).ToList());
        }
    }
    /// <summary>Holds every send until <see cref="LetGo"/>, counting how many are out at once.</summary>
    private sealed class HeldSender : RecordingSender
    {
        private readonly TaskCompletionSource free = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int sendsOut;
        private int mostOutAtOnce;

        public int Out => Volatile.Read(ref sendsOut);

        public int MostOutAtOnce => Volatile.Read(ref mostOutAtOnce);

        public void LetGo() => free.TrySetResult();

        public override async Task<SendResult> SendAsync(Recipient recipient, IReadOnlyList<Core.Commands.ReplyMessage> messages, int fromPart, CancellationToken cancellationToken)
        {
            var now = Interlocked.Increment(ref sendsOut);
            for (var most = MostOutAtOnce; now > most && Interlocked.CompareExchange(ref mostOutAtOnce, now, most) != most; most = MostOutAtOnce)
            {
            }

            try
            {
                await free.Task;
                return await base.SendAsync(recipient, messages, fromPart, cancellationToken);
            }
            finally
            {
                Interlocked.Decrement(ref sendsOut);
            }
        }
    }
}

public sealed class SendingEngineTestsOnPostgres : SendingEngineTests
{
    protected override string Provider => StorageOptions.Postgres;
}
