using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using PaperBot.Core.Subscribers;

namespace PaperBot.Tests.Channels.Telegram;

/// <summary>The Telegram channel end to end, in polling and in webhook mode: real host, real client, fake Bot API.</summary>
public sealed class TelegramChannelTests
{
    private const long Reader = 4201;

    private static Task<Subscriber?> SubscriberAsync(TelegramHost host, long chatId) =>
        host.App.QueryAsync(db => db.Subscribers.Include(s => s.Topics).AsNoTracking()
            .FirstOrDefaultAsync(s => s.Channel == Channel.Telegram && s.ChatId == chatId.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    [Theory]
    [InlineData(Receiving.Polling)]
    [InlineData(Receiving.Webhook)]
    public async Task StartSubscribesTheChat(Receiving mode)
    {
        await using var host = await TelegramHost.StartAsync(mode);

        var answer = await host.AskAsync(Reader, "/start");

        Assert.Contains("Welcome to PaperBot", answer.Text, StringComparison.Ordinal);
        var subscriber = await SubscriberAsync(host, Reader);
        Assert.NotNull(subscriber);
        Assert.Equal(SubscriberStatus.Active, subscriber.Status);
        Assert.Equal(ChatKind.Private, subscriber.Kind);
        Assert.Equal("en", subscriber.Language);
        Assert.Equal("Ada Lovelace", subscriber.DisplayName);
    }

    [Theory]
    [InlineData(Receiving.Polling)]
    [InlineData(Receiving.Webhook)]
    public async Task PaperFourAnswersWithRho1AndItsArxivLink(Receiving mode)
    {
        await using var host = await TelegramHost.StartAsync(mode);

        var answer = await host.AskAsync(Reader, "/paper 4");

        Assert.Equal("Html", answer["parse_mode"], ignoreCase: true);
        Assert.Contains("<b>4. ", answer.Text, StringComparison.Ordinal);
        Assert.Contains("Rho-1", answer.Text, StringComparison.Ordinal);
        Assert.Contains("<a href=\"https://arxiv.org/abs/2404.07965\">arXiv 2404.07965</a>", answer.Text, StringComparison.Ordinal);
        Assert.Contains(answer.Buttons, b => b.Url == "https://arxiv.org/abs/2404.07965");
        Assert.Contains(answer.Buttons, b => b.Data == "n:1:5" && b.Text == "5 ▶");
        Assert.Contains(answer.Buttons, b => b.Data == "n:1:3" && b.Text == "◀ 3");
    }

    [Theory]
    [InlineData(Receiving.Polling)]
    [InlineData(Receiving.Webhook)]
    public async Task NextAndPreviousButtonsPageThroughPapersInPlace(Receiving mode)
    {
        await using var host = await TelegramHost.StartAsync(mode);
        var card = await host.AskAsync(Reader, "/paper 4");
        var messageId = MessageIdOf(card);

        await host.DeliverAsync(UpdateJson.Button(Reader, messageId, "n:1:5"));
        var next = await host.Api.WaitForCallAsync("editMessageText", c => c.Text.Contains("LLoCO", StringComparison.Ordinal), "paper 5 in place of paper 4");
        await host.DeliverAsync(UpdateJson.Button(Reader, messageId, "n:1:4"));
        var back = await host.Api.WaitForCallAsync("editMessageText", c => c.Text.Contains("Rho-1", StringComparison.Ordinal), "paper 4 again");

        Assert.Equal(messageId.ToString(System.Globalization.CultureInfo.InvariantCulture), next["message_id"]);
        Assert.Contains(next.Buttons, b => b.Data == "n:1:6");
        Assert.Contains(back.Buttons, b => b.Data == "n:1:5");
        Assert.Single(host.Api.SentTo(Reader));
        await host.Api.WaitForAsync(calls => calls.Count(c => c.Method == "answerCallbackQuery") == 2, "both presses answered");
    }

    [Theory]
    [InlineData(Receiving.Polling)]
    [InlineData(Receiving.Webhook)]
    public async Task LatestIsANumberedListWithOneButtonPerPaperAndNoPreview(Receiving mode)
    {
        await using var host = await TelegramHost.StartAsync(mode);

        var contents = await host.AskAsync(Reader, "/latest");
        await host.DeliverAsync(UpdateJson.Button(Reader, MessageIdOf(contents), "p:1:2"));
        var opened = await host.Api.WaitForAsync(_ => host.Api.SentTo(Reader).Count == 2, "paper 2 as a new message");

        Assert.Contains("\n4. ", contents.Text, StringComparison.Ordinal);
        var numbers = contents.Buttons.Where(b => b.Data is not null).Select(b => b.Text).ToList();
        Assert.Equal(Enumerable.Range(1, numbers.Count).Select(n => n.ToString(System.Globalization.CultureInfo.InvariantCulture)), numbers);
        Assert.True(numbers.Count >= 10);
        Assert.Contains("\"is_disabled\":true", contents["link_preview_options"], StringComparison.Ordinal);
        Assert.Contains("<b>2. ", host.Api.SentTo(Reader)[1].Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Receiving.Polling)]
    [InlineData(Receiving.Webhook)]
    public async Task TopicTogglesShowTicksAndPersist(Receiving mode)
    {
        await using var host = await TelegramHost.StartAsync(mode);
        var filter = await host.AskAsync(Reader, "/topics");
        var messageId = MessageIdOf(filter);
        Assert.DoesNotContain(filter.Buttons, b => b.Text.StartsWith('✓'));

        await host.DeliverAsync(UpdateJson.Button(Reader, messageId, "t:moe"));
        var ticked = await host.Api.WaitForCallAsync("editMessageText", c => c.Buttons.Any(b => b.Data == "t:moe" && b.Text.StartsWith('✓')), "moe ticked");
        var stored = await SubscriberAsync(host, Reader);

        Assert.Equal(["moe"], stored!.Topics.Select(t => t.Topic));
        Assert.All(ticked.Buttons.Where(b => b.Data is not null), b => Assert.InRange(System.Text.Encoding.UTF8.GetByteCount(b.Data!), 1, 64));

        await host.DeliverAsync(UpdateJson.Button(Reader, messageId, "t:moe"));
        await host.Api.WaitForAsync(calls => calls.Count(c => c.Method == "editMessageText") == 2, "moe unticked");
        Assert.Empty((await SubscriberAsync(host, Reader))!.Topics);
    }

    [Fact]
    public async Task TopicButtonsInChineseStayWithin64Bytes()
    {
        await using var host = await TelegramHost.StartAsync(Receiving.Polling);

        var filter = await host.AskAsync(Reader, "/topics", language: "zh-hans");

        Assert.Contains("话题", filter.Text, StringComparison.Ordinal);
        Assert.All(filter.Buttons.Where(b => b.Data is not null), b => Assert.InRange(System.Text.Encoding.UTF8.GetByteCount(b.Data!), 1, 64));
    }

    [Theory]
    [InlineData(Receiving.Polling)]
    [InlineData(Receiving.Webhook)]
    public async Task A403FromASendMarksTheSubscriberBlockedAndStartBringsThemBackWithTheirTopics(Receiving mode)
    {
        await using var host = await TelegramHost.StartAsync(mode);
        await host.AskAsync(Reader, "/start");
        await host.AskAsync(Reader, "/topics add moe");

        host.Api.FailNext("sendMessage", FakeAnswer.Blocked);
        await host.DeliverAsync(UpdateJson.Text(Reader, "/paper 4"));
        await host.SettleAsync();
        Assert.Equal(SubscriberStatus.Blocked, (await SubscriberAsync(host, Reader))!.Status);

        var back = await host.AskAsync(Reader, "/start");
        var subscriber = await SubscriberAsync(host, Reader);
        Assert.Contains("Welcome back", back.Text, StringComparison.Ordinal);
        Assert.Equal(SubscriberStatus.Active, subscriber!.Status);
        Assert.Equal(["moe"], subscriber.Topics.Select(t => t.Topic));
    }

    [Theory]
    [InlineData(Receiving.Polling)]
    [InlineData(Receiving.Webhook)]
    public async Task MyChatMemberKickedMarksTheSubscriberBlocked(Receiving mode)
    {
        await using var host = await TelegramHost.StartAsync(mode);
        await host.AskAsync(Reader, "/start");

        await host.DeliverAsync(UpdateJson.MyChatMember(Reader, "kicked"));
        await host.SettleAsync();

        Assert.Equal(SubscriberStatus.Blocked, (await SubscriberAsync(host, Reader))!.Status);
    }

    [Theory]
    [InlineData(Receiving.Polling, "/start", SubscriberStatus.Active)]
    [InlineData(Receiving.Webhook, "/start", SubscriberStatus.Active)]
    [InlineData(Receiving.Polling, "/unsubscribe", SubscriberStatus.Unsubscribed)]
    public async Task ABotRemovedAndAddedBackLeavesTheChatAsItWas(Receiving mode, string last, SubscriberStatus before)
    {
        await using var host = await TelegramHost.StartAsync(mode);
        await host.AskAsync(Reader, "/start");
        await host.AskAsync(Reader, last);

        await host.DeliverAsync(UpdateJson.MyChatMember(Reader, "kicked"));
        await host.SettleAsync();
        Assert.Equal(SubscriberStatus.Blocked, (await SubscriberAsync(host, Reader))!.Status);
        await host.DeliverAsync(UpdateJson.MyChatMember(Reader, "member"));
        await host.SettleAsync();

        Assert.Equal(before, (await SubscriberAsync(host, Reader))!.Status);
    }

    [Theory]
    [InlineData(Receiving.Polling)]
    [InlineData(Receiving.Webhook)]
    public async Task AGroupCommandForAnotherBotIsIgnored(Receiving mode)
    {
        await using var host = await TelegramHost.StartAsync(mode);
        const long group = -4001;

        await host.DeliverAsync(UpdateJson.Text(group, "/paper@OtherBot 4"));
        await host.DeliverAsync(UpdateJson.Text(group, "nice paper, everyone"));
        await host.DeliverAsync(UpdateJson.Sticker(group));
        await host.SettleAsync();
        Assert.Empty(host.Api.SentTo(group));

        await host.DeliverAsync(UpdateJson.Text(group, $"/paper@{FakeBotApi.BotUsername} 4"));
        var answer = await host.Api.WaitForMessageAsync(group);
        Assert.Contains("Rho-1", answer.Text, StringComparison.Ordinal);
        Assert.Single(host.Api.SentTo(group));
    }

    [Theory]
    [InlineData(Receiving.Polling)]
    [InlineData(Receiving.Webhook)]
    public async Task AGroupCommandOfSomeOtherBotGetsNoUnknownCommandReply(Receiving mode)
    {
        await using var host = await TelegramHost.StartAsync(mode);
        const long group = -4003;

        await host.DeliverAsync(UpdateJson.Text(group, "/roll 2d6"));
        await host.DeliverAsync(UpdateJson.Text(group, "/warn spammer"));
        await host.SettleAsync();
        Assert.Empty(host.Api.SentTo(group));

        await host.DeliverAsync(UpdateJson.Text(group, $"/roll@{FakeBotApi.BotUsername}"));
        var answer = await host.Api.WaitForMessageAsync(group);
        Assert.Contains("Unknown command /roll", answer.Text, StringComparison.Ordinal);
        Assert.Contains("Unknown command /roll", (await host.AskAsync(Reader, "/roll")).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InAForumGroupTheAnswerGoesToTheTopicItWasAskedInAndNotToGeneral()
    {
        const long Forum = -1007001;
        const int Topic = 77;
        await using var host = await TelegramHost.StartAsync(Receiving.Webhook);
        host.Api.OpenForumTopic(Forum, Topic);
        static JsonObject InTopic(JsonObject update, string kind)
        {
            var message = kind == "message" ? update["message"]! : update["callback_query"]!["message"]!;
            message["message_thread_id"] = Topic;
            message["is_topic_message"] = true;
            message["chat"]!["is_forum"] = true;
            return update;
        }

        await host.DeliverAsync(InTopic(UpdateJson.Text(Forum, "/latest"), "message"));
        var list = await host.Api.WaitForMessageAsync(Forum);
        await host.DeliverAsync(InTopic(UpdateJson.Button(Forum, list.MessageId!.Value, "p:1:4", from: UpdateJson.GroupMember), "callback_query"));
        var card = await host.Api.WaitForMessageAsync(Forum, c => c.Text.Contains("Rho-1", StringComparison.Ordinal));
        await host.DeliverAsync(UpdateJson.Text(Forum, "/help"));
        var inGeneral = await host.Api.WaitForMessageAsync(Forum, c => c.MessageId > card.MessageId);

        Assert.Equal("77", list["message_thread_id"]);
        Assert.Equal("77", card["message_thread_id"]);
        Assert.Null(inGeneral["message_thread_id"]);
    }

    [Theory]
    [InlineData(Receiving.Polling)]
    [InlineData(Receiving.Webhook)]
    public async Task AnUpdateDeliveredTwiceIsHandledOnce(Receiving mode)
    {
        await using var host = await TelegramHost.StartAsync(mode);
        var update = UpdateJson.Text(Reader, "/paper 4");
        var id = host.Api.NextUpdateId();
        update["update_id"] = id;

        await host.DeliverAsync(update);
        await host.DeliverAsync((JsonObject)update.DeepClone());
        await host.SettleAsync();

        Assert.Single(host.Api.SentTo(Reader));
        Assert.Equal(1, await host.App.QueryAsync(db => db.InboundReceipts.CountAsync(r => r.Channel == "telegram" && r.MessageKey == $"{FakeBotApi.BotId}:{id}")));
    }

    [Theory]
    [InlineData(Receiving.Polling)]
    [InlineData(Receiving.Webhook)]
    public async Task AnUpdateThatFailsDoesNotStopTheOthers(Receiving mode)
    {
        await using var host = await TelegramHost.StartAsync(mode);
        host.Api.FailNext("sendMessage", FakeAnswer.ServerError);

        await host.DeliverAsync(UpdateJson.Text(Reader, "/paper 4"));
        var next = await host.AskAsync(Reader, "/paper 5");

        Assert.Contains("LLoCO", next.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AReplyHeldUpOnItsWayDoesNotBunchTheNextOnesAtTelegram()
    {
        await using var host = await TelegramHost.StartAsync(Receiving.Polling);
        // The first reply reaches Telegram 0.8 s after it left; the next three follow as soon as the bot lets them.
        host.Api.DelayNextArrival("sendMessage", TimeSpan.FromMilliseconds(800));

        foreach (var (number, title) in new[] { (1, "超越 Transformer"), (2, "仅用 10 万美元"), (3, "Audio Dialogues"), (4, "Rho-1") })
            Assert.Contains(title, (await host.AskAsync(Reader, $"/paper {number}")).Text, StringComparison.Ordinal);

        Assert.Empty(host.Api.FloodRefusals);
    }

    [Theory]
    [InlineData(Receiving.Polling)]
    [InlineData(Receiving.Webhook)]
    public async Task BadInputGetsAClearReplyAndTheBotKeepsServing(Receiving mode)
    {
        await using var host = await TelegramHost.StartAsync(mode);
        var cases = new (JsonObject Update, string Expected)[]
        {
            (UpdateJson.Text(Reader, "/paper abc"), "is not a paper number"),
            (UpdateJson.Text(Reader, "/paper 0"), "there is no paper 0"),
            (UpdateJson.Text(Reader, "/paper 99"), "there is no paper 99"),
            (UpdateJson.Text(Reader, "/topics add nosuchtopic"), "There is no topic “nosuchtopic”"),
            (UpdateJson.Text(Reader, new string('x', 5000)), "too long"),
            (UpdateJson.Text(Reader, "/nosuchcommand"), "Unknown command"),
            (UpdateJson.Button(Reader, 1, "zz:not-ours"), "That button has expired"),
            (UpdateJson.Sticker(Reader), "I only read text messages"),
            (UpdateJson.Photo(Reader), "I only read text messages"),
            (UpdateJson.Text(Reader, "/paper 4"), "Rho-1"),
        };

        foreach (var (update, expected) in cases)
        {
            var before = host.Api.SentTo(Reader).Count;
            await host.DeliverAsync(update);
            await host.Api.WaitForAsync(_ => host.Api.SentTo(Reader).Count > before, $"an answer containing '{expected}'");
            Assert.Contains(expected, host.Api.SentTo(Reader)[before].Text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task PinningTheBotsMessageInAPrivateChatGetsNoTextOnlyHint()
    {
        await using var host = await TelegramHost.StartAsync(Receiving.Webhook);
        var card = await host.AskAsync(Reader, "/paper 4");

        await host.DeliverAsync(UpdateJson.Pinned(Reader, card.MessageId!.Value));
        await host.DeliverAsync(UpdateJson.Sticker(Reader));
        var after = await host.Api.WaitForMessageAsync(Reader, c => c.MessageId > card.MessageId);

        Assert.Contains("I only read text messages", after.Text, StringComparison.Ordinal);
        Assert.Equal(2, host.Api.SentTo(Reader).Count);
    }

    [Fact]
    public async Task AForgedWebhookSecretGets401AndHasNoEffect()
    {
        await using var host = await TelegramHost.StartAsync(Receiving.Webhook);
        var update = UpdateJson.Text(Reader, "/start");
        update["update_id"] = 4242;

        var forged = await host.PostWebhookAsync(update.ToJsonString(), "not-the-secret");
        var missing = await host.PostWebhookAsync(update.ToJsonString(), secret: null);
        var almost = await host.PostWebhookAsync(update.ToJsonString(), TelegramHost.Secret[..^1]);

        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, forged.StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, missing.StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, almost.StatusCode);
        Assert.Null(await SubscriberAsync(host, Reader));
        Assert.Equal(0, await host.App.CountAsync<PaperBot.Core.Data.InboundReceipt>());
        Assert.Empty(host.Api.CallsTo("sendMessage"));

        await host.DeliverAsync(update);
        Assert.Equal(SubscriberStatus.Active, (await SubscriberAsync(host, Reader))!.Status);
    }

    [Theory]
    [InlineData("{\"update_id\":", 400)]
    [InlineData("[1,2,3]", 400)]
    [InlineData("{\"message\":{}}", 400)]
    [InlineData("{\"update_id\":9,\"message\":{\"message_id\":1,\"date\":99999999999999999,\"chat\":{\"id\":4201,\"type\":\"private\"},\"text\":\"/start\"}}", 400)]
    public async Task TheWebhookRefusesWhatIsNoUpdate(string body, int status)
    {
        await using var host = await TelegramHost.StartAsync(Receiving.Webhook);

        var response = await host.PostWebhookAsync(body, TelegramHost.Secret);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Empty(host.Api.CallsTo("sendMessage"));
        Assert.Equal(0, await host.App.CountAsync<PaperBot.Core.Data.InboundReceipt>());
    }

    [Fact]
    public async Task TheWebhookRefusesABodyOverOneMegabyteUnread()
    {
        await using var host = await TelegramHost.StartAsync(Receiving.Webhook);
        var update = UpdateJson.Text(Reader, new string('x', 1_100_000));
        update["update_id"] = 5;

        var response = await host.PostWebhookAsync(update.ToJsonString(), TelegramHost.Secret);

        Assert.Equal(System.Net.HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task InPollingModeTheWebhookIsNotThere()
    {
        await using var host = await TelegramHost.StartAsync(Receiving.Polling);

        var response = await host.PostWebhookAsync(UpdateJson.Text(Reader, "/start").ToJsonString(), TelegramHost.Secret);

        Assert.Equal(System.Net.HttpStatusCode.NotFound, response.StatusCode);
    }

    private static int MessageIdOf(BotCall sent) => sent.MessageId ?? throw new InvalidOperationException("that message was not sent");
}
