using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PaperBot.Channels.WeChat;
using PaperBot.Core.Sending;
using PaperBot.Core.Stats;
using PaperBot.Core.Subscribers;
using PaperBot.TestServices;
using PaperBot.WeChat;

namespace PaperBot.Tests.Channels.WeChat;

// A published issue reaching WeChat subscribers through the same outbox as Telegram, in each push mode.
public sealed class WeChatPushTests
{
    [Fact]
    public async Task WithoutPushRightsTheIssueWaitsAndIsOfferedWithTheNextMessage()
    {
        await using var host = await WeChatHost.StartAsync(new Dictionary<string, string?> { ["WeChat:AppSecret"] = "" });
        await host.FollowAsync("oAlice");
        await host.FollowAsync("oBob");

        var issue = await host.PublishNextIssueAsync();

        Assert.True(await host.DeliveryBecomesAsync("oAlice", issue, DeliveryStatus.Waiting));
        Assert.True(await host.DeliveryBecomesAsync("oBob", issue, DeliveryStatus.Waiting));
        Assert.Empty(host.Api.Calls);

        var alices = await host.SayAsync("oAlice", "帮助");
        Assert.Contains("论文 4", alices.Content, StringComparison.Ordinal);
        Assert.Contains($"📬 第 {issue} 期", alices.Content, StringComparison.Ordinal);
        Assert.Contains("回复「最新」", alices.Content, StringComparison.Ordinal);
        Assert.Equal(DeliveryStatus.Sent, await host.DeliveryStatusAsync("oAlice", issue));
        Assert.Equal(DeliveryStatus.Waiting, await host.DeliveryStatusAsync("oBob", issue));

        var bobs = await host.SayAsync("oBob", "最新");
        Assert.Contains($"第 {issue} 期", bobs.Content, StringComparison.Ordinal);
        Assert.Contains("超越 RNN", bobs.Content, StringComparison.Ordinal);
        Assert.DoesNotContain("回复「最新」", bobs.Content, StringComparison.Ordinal);
        Assert.Equal(DeliveryStatus.Sent, await host.DeliveryStatusAsync("oBob", issue));

        var again = await host.SayAsync("oAlice", "帮助");
        Assert.DoesNotContain("📬", again.Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TwoIssuesWaitingAreOfferedTogetherTheOlderNamedWithHowToOpenItAndNeitherAgain()
    {
        await using var host = await WeChatHost.StartAsync(new Dictionary<string, string?> { ["WeChat:AppSecret"] = "" });
        await host.FollowAsync("oFay");
        var older = await host.PublishNextIssueAsync();
        var newer = await host.PublishNextIssueAsync("超越 LSTM");
        Assert.True(await host.DeliveryBecomesAsync("oFay", older, DeliveryStatus.Waiting));
        Assert.True(await host.DeliveryBecomesAsync("oFay", newer, DeliveryStatus.Waiting));

        var reply = await host.SayAsync("oFay", "帮助");

        Assert.Contains($"📬 第 {newer} 期", reply.Content, StringComparison.Ordinal);
        Assert.Contains($"你还错过了第 {older} 期。回复「往期 {older}」查看,回复「往期」查看全部。", reply.Content, StringComparison.Ordinal);
        Assert.True(Encoding.UTF8.GetByteCount(reply.Content) <= WeChatReply.MaxTextBytes);
        Assert.Equal(DeliveryStatus.Sent, await host.DeliveryStatusAsync("oFay", older));
        Assert.Equal(DeliveryStatus.Sent, await host.DeliveryStatusAsync("oFay", newer));

        var latest = await host.SayAsync("oFay", "最新");
        Assert.DoesNotContain("📬", latest.Content, StringComparison.Ordinal);
        Assert.DoesNotContain("错过", latest.Content, StringComparison.Ordinal);
        Assert.Contains("超越 RNN", (await host.SayAsync("oFay", $"往期 {older}")).Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AskingForTheLatestStillNamesTheOlderIssueThatWaited()
    {
        await using var host = await WeChatHost.StartAsync(new Dictionary<string, string?> { ["WeChat:AppSecret"] = "" });
        await host.FollowAsync("oGus");
        await host.SayAsync("oGus", "/lang en");
        var older = await host.PublishNextIssueAsync();
        var newer = await host.PublishNextIssueAsync("超越 LSTM");
        Assert.True(await host.DeliveryBecomesAsync("oGus", newer, DeliveryStatus.Waiting));

        var reply = await host.SayAsync("oGus", "latest");

        Assert.Contains("超越 LSTM", reply.Content, StringComparison.Ordinal);
        Assert.DoesNotContain("📬", reply.Content, StringComparison.Ordinal);
        Assert.EndsWith($"You also missed issue {older}: reply issue {older} (or 往期 {older}) to see it, issues (or 往期) for all.", reply.Content, StringComparison.Ordinal);
        Assert.Equal(DeliveryStatus.Sent, await host.DeliveryStatusAsync("oGus", older));
    }

    [Fact]
    public async Task AnOlderIssueThatWaitedAloneIsNamedWithItsOwnNumberWhenTheReaderAsksForTheLatest()
    {
        await using var host = await WeChatHost.StartAsync(new Dictionary<string, string?> { ["WeChat:AppSecret"] = "" });
        await host.FollowAsync("oIda");
        var older = await host.PublishNextIssueAsync();
        var newer = await host.PublishNextIssueAsync("超越 LSTM");
        Assert.True(await host.DeliveryBecomesAsync("oIda", newer, DeliveryStatus.Waiting));
        // The newest reached the reader another way (a customer-service message while they were writing); the older did not.
        await host.App.QueryAsync(db => db.DeliveriesOfIssue(newer).To(db, "oIda").ExecuteUpdateAsync(d => d.SetProperty(x => x.Status, DeliveryStatus.Sent)));

        var reply = await host.SayAsync("oIda", "最新");

        Assert.Contains("超越 LSTM", reply.Content, StringComparison.Ordinal);
        Assert.EndsWith($"你还错过了第 {older} 期。回复「往期 {older}」查看,回复「往期」查看全部。", reply.Content, StringComparison.Ordinal);
        Assert.Equal(DeliveryStatus.Sent, await host.DeliveryStatusAsync("oIda", older));
        Assert.DoesNotContain("错过", (await host.SayAsync("oIda", "帮助")).Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnOlderIssueThatWaitedAloneIsOfferedWithHowToOpenItNotWithTheLatest()
    {
        await using var host = await WeChatHost.StartAsync(new Dictionary<string, string?> { ["WeChat:AppSecret"] = "" });
        await host.FollowAsync("oJon");
        var older = await host.PublishNextIssueAsync();
        var newer = await host.PublishNextIssueAsync("超越 LSTM");
        Assert.True(await host.DeliveryBecomesAsync("oJon", newer, DeliveryStatus.Waiting));
        await host.App.QueryAsync(db => db.DeliveriesOfIssue(newer).To(db, "oJon").ExecuteUpdateAsync(d => d.SetProperty(x => x.Status, DeliveryStatus.Sent)));

        var reply = await host.SayAsync("oJon", "帮助");

        Assert.DoesNotContain("回复「最新」", reply.Content, StringComparison.Ordinal);
        Assert.EndsWith($"你错过了第 {older} 期。回复「往期 {older}」查看,回复「往期」查看全部。", reply.Content, StringComparison.Ordinal);
        Assert.Equal(DeliveryStatus.Sent, await host.DeliveryStatusAsync("oJon", older));
    }

    [Theory]
    [InlineData("/issue")]
    [InlineData("issue")]
    [InlineData("第{0}期")]
    [InlineData("往期 {0}")]
    public async Task AReplyThatShowsTheWaitingIssueDoesNotOfferItAgain(string text)
    {
        await using var host = await WeChatHost.StartAsync(new Dictionary<string, string?> { ["WeChat:AppSecret"] = "" });
        await host.FollowAsync("oKim");
        var issue = await host.PublishNextIssueAsync();
        Assert.True(await host.DeliveryBecomesAsync("oKim", issue, DeliveryStatus.Waiting));

        var reply = await host.SayAsync("oKim", string.Format(System.Globalization.CultureInfo.InvariantCulture, text, issue));

        Assert.Contains("超越 RNN", reply.Content, StringComparison.Ordinal);
        Assert.DoesNotContain("📬", reply.Content, StringComparison.Ordinal);
        Assert.DoesNotContain("回复「最新」", reply.Content, StringComparison.Ordinal);
        Assert.Equal(DeliveryStatus.Sent, await host.DeliveryStatusAsync("oKim", issue));
    }

    [Fact]
    public async Task OpeningTheOlderOfTwoWaitingIssuesOffersTheNewestAndNamesNoneTwice()
    {
        await using var host = await WeChatHost.StartAsync(new Dictionary<string, string?> { ["WeChat:AppSecret"] = "" });
        await host.FollowAsync("oLev");
        var older = await host.PublishNextIssueAsync();
        var newer = await host.PublishNextIssueAsync("超越 LSTM");
        Assert.True(await host.DeliveryBecomesAsync("oLev", newer, DeliveryStatus.Waiting));

        var reply = await host.SayAsync("oLev", $"往期 {older}");

        Assert.Contains("超越 RNN", reply.Content, StringComparison.Ordinal);
        Assert.Contains($"📬 第 {newer} 期", reply.Content, StringComparison.Ordinal);
        Assert.Contains("回复「最新」", reply.Content, StringComparison.Ordinal);
        Assert.DoesNotContain("错过", reply.Content, StringComparison.Ordinal);
        Assert.Equal(DeliveryStatus.Sent, await host.DeliveryStatusAsync("oLev", older));
        Assert.Equal(DeliveryStatus.Sent, await host.DeliveryStatusAsync("oLev", newer));
    }

    [Fact]
    public async Task WaitingAnnouncementsAreAllOfferedOldestFirstEachOnce()
    {
        await using var host = await WeChatHost.StartAsync(new Dictionary<string, string?> { ["WeChat:AppSecret"] = "" });
        await host.FollowAsync("oHal");
        var first = await host.BroadcastAsync("周五晚服务器维护。");
        var second = await host.BroadcastAsync("维护推迟到周六。");
        var long1 = await host.BroadcastAsync(new string('长', 300));
        var long2 = await host.BroadcastAsync(new string('久', 300));
        // Each broadcast is a push of its own: under load the worker may reach the last before the others.
        foreach (var push in new[] { first, second, long1, long2 })
            Assert.True(await Eventually.HoldsAsync(async () => await host.PushDeliveryStatusAsync("oHal", push) == DeliveryStatus.Waiting));

        var reply = await host.SayAsync("oHal", "帮助");

        // The two short ones and the first long one fit (900 bytes of 1024); the second long one waits for the next message.
        Assert.Contains("周五晚服务器维护。", reply.Content, StringComparison.Ordinal);
        Assert.True(reply.Content.IndexOf("周五晚", StringComparison.Ordinal) < reply.Content.IndexOf("维护推迟", StringComparison.Ordinal));
        Assert.Contains(new string('长', 300), reply.Content, StringComparison.Ordinal);
        Assert.DoesNotContain("久", reply.Content, StringComparison.Ordinal);
        Assert.Equal(DeliveryStatus.Sent, await host.PushDeliveryStatusAsync("oHal", first));
        Assert.Equal(DeliveryStatus.Sent, await host.PushDeliveryStatusAsync("oHal", second));
        Assert.Equal(DeliveryStatus.Sent, await host.PushDeliveryStatusAsync("oHal", long1));
        Assert.Equal(DeliveryStatus.Waiting, await host.PushDeliveryStatusAsync("oHal", long2));

        var next = await host.SayAsync("oHal", "帮助");
        Assert.Contains(new string('久', 300), next.Content, StringComparison.Ordinal);
        Assert.DoesNotContain("维护", next.Content, StringComparison.Ordinal);
        Assert.Equal(DeliveryStatus.Sent, await host.PushDeliveryStatusAsync("oHal", long2));
        Assert.DoesNotContain("📢", (await host.SayAsync("oHal", "帮助")).Content, StringComparison.Ordinal);
    }

    // A reader follows, and WeChat stops a 260-sentence announcement's customer-service parts at the third (45047,
    // 20 messages since the reader last wrote): the reader has two parts, and the rest waits for their next message.
    private static async Task<int> AnnouncementStoppedAtItsThirdPartAsync(WeChatHost host, string reader)
    {
        await host.FollowAsync(reader);
        var announcementParts = 0;
        host.Api.Respond = call => call.Path == FakeWeChatApi.CustomSend && call.TextContent is { } content && content.Contains("这是公告的第", StringComparison.Ordinal)
            && Interlocked.Increment(ref announcementParts) >= 3
                ? """{"errcode":45047,"errmsg":"out of response count limit rid: 6571c1f2-3b2a4e8d-5c7f9a2f"}"""
                : null;
        var push = await host.BroadcastAsync(LongAnnouncement(260));
        Assert.True(await Eventually.HoldsAsync(async () => await host.PushDeliveryStatusAsync(reader, push) == DeliveryStatus.Waiting));
        host.Api.Respond = _ => null;
        return push;
    }

    private static string LongAnnouncement(int sentences) =>
        string.Concat(Enumerable.Range(1, sentences).Select(i => $"这是公告的第{i}句。"));

    private static List<int> SentencesIn(string text) =>
        [.. System.Text.RegularExpressions.Regex.Matches(text, @"这是公告的第(\d+)句。").Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture))];

    [Fact]
    public async Task AnAnnouncementLongerThanAReplyHasRoomForReachesTheReaderWholePieceByPiece()
    {
        await using var host = await WeChatHost.StartAsync(new Dictionary<string, string?> { ["WeChat:AppSecret"] = "" });
        await host.FollowAsync("oMia");
        var text = LongAnnouncement(150);
        var push = await host.BroadcastAsync(text);
        Assert.True(await Eventually.HoldsAsync(async () => await host.PushDeliveryStatusAsync("oMia", push) == DeliveryStatus.Waiting));

        var first = await host.SayAsync("oMia", "帮助");
        Assert.True(Encoding.UTF8.GetByteCount(first.Content) <= WeChatReply.MaxTextBytes);
        Assert.Contains("(未完,发送任意消息查看后续)", first.Content, StringComparison.Ordinal);
        Assert.Equal(DeliveryStatus.Waiting, await host.PushDeliveryStatusAsync("oMia", push));
        var shown = SentencesIn(first.Content);
        Assert.NotEmpty(shown);

        // A paper's article carries the next piece in its description.
        var card = await host.SayAsync("oMia", "4");
        Assert.Equal("news", card.MsgType);
        Assert.StartsWith("📢 公告(续)", card.ArticleDescription, StringComparison.Ordinal);
        Assert.True(Encoding.UTF8.GetByteCount(card.ArticleDescription) <= WeChatFormatter.MaxDescriptionBytes);
        shown.AddRange(SentencesIn(card.ArticleDescription));

        for (var i = 0; i < 20 && await host.PushDeliveryStatusAsync("oMia", push) == DeliveryStatus.Waiting; i++)
        {
            var next = await host.SayAsync("oMia", "帮助");
            Assert.True(Encoding.UTF8.GetByteCount(next.Content) <= WeChatReply.MaxTextBytes);
            shown.AddRange(SentencesIn(next.Content));
        }

        Assert.Equal(Enumerable.Range(1, 150), shown);
        Assert.Equal(DeliveryStatus.Sent, await host.PushDeliveryStatusAsync("oMia", push));
        Assert.DoesNotContain("📢", (await host.SayAsync("oMia", "帮助")).Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task APieceOfALongAnnouncementWhoseLateReplyCouldNotBeSentIsShownAgain()
    {
        var refuse = false;
        await using var host = await WeChatHost.StartAsync(new Dictionary<string, string?> { ["WeChat:ReplyBudget"] = "00:00:00" },
            respond: call => call.Path == FakeWeChatApi.CustomSend && refuse ? FakeWeChatApi.OutOfTimeLimit : null);
        await host.FollowAsync("oNed");
        await host.Api.WaitForCallsAsync(FakeWeChatApi.CustomSend, 1);
        var push = await host.BroadcastAsync(LongAnnouncement(150));
        Assert.True(await Eventually.HoldsAsync(async () => await host.PushDeliveryStatusAsync("oNed", push) == DeliveryStatus.Waiting));
        refuse = true;

        Assert.Equal("success", await host.SendAsync(WeChatHost.TextXml("oNed", "帮助")));
        Assert.True(await host.Logs.WaitForAsync("wechat: unable to send the late reply to oNed"), host.Logs.Text);
        Assert.True(await Eventually.HoldsAsync(async () =>
            await host.App.QueryAsync(db => db.Deliveries.Where(d => d.PushId == push).Select(d => d.PartsSent).SingleAsync()) == 0));

        refuse = false;
        Assert.Equal("success", await host.SendAsync(WeChatHost.TextXml("oNed", "帮助")));
        await Eventually.AssertAsync(() => Task.FromResult(host.Api.Accepted(FakeWeChatApi.CustomSend)
                .Any(c => c.TextContent is { } content && SentencesIn(content) is [1, ..] && content.Contains("(未完,发送任意消息查看后续)", StringComparison.Ordinal))),
            "the first piece goes out again with the next reply");
    }

    [Fact]
    public async Task TheReplyToAnUnsubscribeOffersNothingThatWasWaiting()
    {
        await using var host = await WeChatHost.StartAsync(new Dictionary<string, string?> { ["WeChat:AppSecret"] = "" });
        await host.FollowAsync("oDan");
        var issue = await host.PublishNextIssueAsync();
        Assert.True(await host.DeliveryBecomesAsync("oDan", issue, DeliveryStatus.Waiting));

        var reply = await host.SayAsync("oDan", "退订");
        var later = await host.SayAsync("oDan", "帮助");

        Assert.Contains("已退订", reply.Content, StringComparison.Ordinal);
        Assert.DoesNotContain("📬", reply.Content, StringComparison.Ordinal);
        Assert.DoesNotContain("📬", later.Content, StringComparison.Ordinal);
        Assert.Equal(DeliveryStatus.Waiting, await host.DeliveryStatusAsync("oDan", issue));
    }

    [Fact]
    public async Task AnOfferRidesAlongWithAPaperArticle()
    {
        await using var host = await WeChatHost.StartAsync();
        await host.FollowAsync("oCarol");
        var issue = await host.PublishNextIssueAsync();
        Assert.True(await host.DeliveryBecomesAsync("oCarol", issue, DeliveryStatus.Waiting));

        var reply = await host.SayAsync("oCarol", "4");

        Assert.Equal("news", reply.MsgType);
        Assert.StartsWith($"📬 第 {issue} 期", reply.ArticleDescription, StringComparison.Ordinal);
        Assert.Equal(DeliveryStatus.Sent, await host.DeliveryStatusAsync("oCarol", issue));
    }

    [Fact]
    public async Task AnOfferWhoseLateReplyCouldNotBeSentIsOfferedAgainWithTheNextMessage()
    {
        var refuse = false;
        await using var host = await WeChatHost.StartAsync(new Dictionary<string, string?> { ["WeChat:ReplyBudget"] = "00:00:00" },
            respond: call => call.Path == FakeWeChatApi.CustomSend && refuse ? FakeWeChatApi.OutOfTimeLimit : null);
        await host.FollowAsync("oErin");
        // With no reply budget the follow is answered "success" at once and subscribes in the background: its welcome
        // (a customer-service message) says it is done, and only then is the next issue published to oErin.
        await host.Api.WaitForCallsAsync(FakeWeChatApi.CustomSend, 1);
        var issue = await host.PublishNextIssueAsync();
        Assert.True(await host.DeliveryBecomesAsync("oErin", issue, DeliveryStatus.Waiting));
        refuse = true;

        Assert.Equal("success", await host.SendAsync(WeChatHost.TextXml("oErin", "帮助")));
        Assert.True(await host.Logs.WaitForAsync("wechat: unable to send the late reply to oErin"), host.Logs.Text);
        Assert.Equal(DeliveryStatus.Waiting, await host.DeliveryStatusAsync("oErin", issue));

        refuse = false;
        Assert.Equal("success", await host.SendAsync(WeChatHost.TextXml("oErin", "帮助")));
        Assert.True(await host.DeliveryBecomesAsync("oErin", issue, DeliveryStatus.Sent));
        await Eventually.AssertAsync(() => Task.FromResult(host.Api.Accepted(FakeWeChatApi.CustomSend).Any(c => c.Json.GetProperty("text").GetProperty("content").GetString()!.Contains($"📬 第 {issue} 期", StringComparison.Ordinal))),
            "the offer goes out with the next reply");
    }

    [Fact]
    public async Task CustomerServicePushReachesRecentWritersAndWaitsForTheOthers()
    {
        await using var host = await WeChatHost.StartAsync(new Dictionary<string, string?> { ["WeChat:PushMode"] = "CustomerService" });
        foreach (var openId in new[] { "oRecent", "oQuiet", "oCapped", "oGone" })
            await host.FollowAsync(openId);
        await host.App.QueryAsync(db => db.Subscribers.Where(s => s.ChatId == "oQuiet")
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.LastSeenAt, DateTimeOffset.UtcNow.AddDays(-3))));
        host.Api.Respond = call => call.ToUser switch
        {
            "oCapped" => FakeWeChatApi.OutOfTimeLimit,
            "oGone" => FakeWeChatApi.RequireSubscribe,
            _ => null,
        };

        var issue = await host.PublishNextIssueAsync();

        Assert.True(await host.DeliveryBecomesAsync("oRecent", issue, DeliveryStatus.Sent));
        Assert.True(await host.DeliveryBecomesAsync("oQuiet", issue, DeliveryStatus.Waiting));
        Assert.True(await host.DeliveryBecomesAsync("oCapped", issue, DeliveryStatus.Waiting));
        Assert.True(await host.DeliveryBecomesAsync("oGone", issue, DeliveryStatus.Blocked));
        var sent = Assert.Single(host.Api.Accepted(FakeWeChatApi.CustomSend));
        Assert.Equal("oRecent", sent.ToUser);
        Assert.StartsWith($"📬 第 {issue} 期", sent.TextContent, StringComparison.Ordinal);
        Assert.Contains("<a href=\"https://arxiv.org/abs/2404.07965\">", sent.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain(host.Api.CallsTo(FakeWeChatApi.CustomSend), call => call.ToUser == "oQuiet");
        Assert.Equal(SubscriberStatus.Blocked, (await host.SubscriberAsync("oGone"))!.Status);
    }

    // Customer-service messages spend no quota: a long announcement reaches the reader whole, one customer-service text
    // per part, each cut after a sentence, in order; a part that fails is sent again from that part on, not from the first.
    [Fact]
    public async Task ALongAnnouncementPushedByCustomerServiceArrivesWholeInPartsAndARetryResumesAtThePartThatFailed()
    {
        await using var host = await WeChatHost.StartAsync(new Dictionary<string, string?>
        {
            ["WeChat:PushMode"] = "CustomerService",
            ["Delivery:RetryDelay"] = "00:00:00.200",
        });
        await host.FollowAsync("oLong");
        var announcementParts = 0;
        host.Api.Respond = call => call.Path == FakeWeChatApi.CustomSend && call.TextContent is { } content && content.Contains("这是公告的第", StringComparison.Ordinal)
            && Interlocked.Increment(ref announcementParts) == 3
                ? """{"errcode":-1,"errmsg":"system error rid: 6571c1f2-3b2a4e8d-5c7f9a2e"}"""
                : null;

        var push = await host.BroadcastAsync(LongAnnouncement(260));

        Assert.True(await Eventually.HoldsAsync(async () => await host.PushDeliveryStatusAsync("oLong", push) == DeliveryStatus.Sent));
        var calls = host.Api.CallsTo(FakeWeChatApi.CustomSend).Where(c => c.TextContent?.Contains("这是公告的第", StringComparison.Ordinal) == true).ToList();
        Assert.Equal(5, calls.Count);
        Assert.False(calls[2].WasAccepted);
        Assert.Equal(calls[2].TextContent, calls[3].TextContent);
        var parts = calls.Where(c => c.WasAccepted).Select(c => c.TextContent!).ToList();
        Assert.Equal(4, parts.Count);
        Assert.All(parts, part => Assert.True(Encoding.UTF8.GetByteCount(part) <= WeChatReply.MaxTextBytes, $"{Encoding.UTF8.GetByteCount(part)} bytes"));
        Assert.StartsWith("📢", parts[0], StringComparison.Ordinal);
        Assert.All(parts, part => Assert.EndsWith("句。", part, StringComparison.Ordinal));
        Assert.Equal(Enumerable.Range(1, 260), parts.SelectMany(SentencesIn));
        Assert.Equal(4, await host.App.QueryAsync(db => db.Deliveries.Where(d => d.PushId == push).Select(d => d.PartsSent).SingleAsync()));
    }

    // WeChat stops the customer-service parts of a long announcement after the 20th message since the reader last wrote
    // (45047): the rest waits for their next message, offered from the start of a sentence (the parts' count is no place
    // in its text), never cut in the middle of one.
    [Fact]
    public async Task ALongAnnouncementStoppedByWeChatAfterSomePartsIsOfferedWithTheNextMessageFromTheStartOfASentence()
    {
        await using var host = await WeChatHost.StartAsync(new Dictionary<string, string?> { ["WeChat:PushMode"] = "CustomerService" });
        var push = await AnnouncementStoppedAtItsThirdPartAsync(host, "oCap");

        var next = await host.SayAsync("oCap", "帮助");
        var shown = SentencesIn(next.Content);
        Assert.NotEmpty(shown);
        var offer = next.Content[next.Content.IndexOf("📢", StringComparison.Ordinal)..];
        Assert.Matches(@"^📢 公告[^\n]*\n这是公告的第\d+句。", offer);
    }

    // WeChat stops the parts of a long announcement at the third (45047): the reader has the first two, and their next
    // messages offer the rest from the first sentence those parts did not carry, each sentence read once.
    [Fact]
    public async Task ALongAnnouncementStoppedByWeChatAfterSomePartsIsOfferedFromTheFirstSentenceThePartsDidNotCarry()
    {
        await using var host = await WeChatHost.StartAsync(new Dictionary<string, string?> { ["WeChat:PushMode"] = "CustomerService" });
        var push = await AnnouncementStoppedAtItsThirdPartAsync(host, "oCap");
        var pushed = host.Api.Accepted(FakeWeChatApi.CustomSend).SelectMany(c => SentencesIn(c.TextContent!)).ToList();
        Assert.Equal(Enumerable.Range(1, pushed.Count), pushed);

        var next = await host.SayAsync("oCap", "帮助");
        var offer = next.Content[next.Content.IndexOf("📢", StringComparison.Ordinal)..];
        Assert.Matches($@"^📢 公告[^\n]*\n这是公告的第{pushed.Count + 1}句。", offer);
        var read = new List<int>(pushed);
        read.AddRange(SentencesIn(next.Content));
        for (var message = 0; message < 20 && await host.PushDeliveryStatusAsync("oCap", push) == DeliveryStatus.Waiting; message++)
            read.AddRange(SentencesIn((await host.SayAsync("oCap", "帮助")).Content));
        Assert.Equal(Enumerable.Range(1, 260), read);
    }

    [Fact]
    public async Task MassSendPushesToEveryoneWithTheSameDigestInOneCall()
    {
        await using var host = await WeChatHost.StartAsync(new Dictionary<string, string?> { ["WeChat:PushMode"] = "MassSend" });
        foreach (var openId in new[] { "oMass1", "oMass2", "oMass3" })
            await host.FollowAsync(openId);
        await host.FollowAsync("oMoeOnly");
        await host.SayAsync("oMoeOnly", "话题 add moe");

        var issue = await host.PublishNextIssueAsync();

        foreach (var openId in new[] { "oMass1", "oMass2", "oMass3", "oMoeOnly" })
            Assert.True(await host.DeliveryBecomesAsync(openId, issue, DeliveryStatus.Sent), openId);
        var mass = Assert.Single(host.Api.Accepted(FakeWeChatApi.MassSend));
        Assert.Equal(["oMass1", "oMass2", "oMass3"], mass.Json.GetProperty("touser").EnumerateArray().Select(o => o.GetString()).Order());
        Assert.Equal("text", mass.Json.GetProperty("msgtype").GetString());
        Assert.StartsWith($"📬 第 {issue} 期", mass.TextContent, StringComparison.Ordinal);
        var single = Assert.Single(host.Api.Accepted(FakeWeChatApi.CustomSend));
        Assert.Equal("oMoeOnly", single.ToUser);
        Assert.Contains("混合专家", single.TextContent, StringComparison.Ordinal);
        Assert.True(await host.Logs.WaitForAsync("to 3 subscribers accepted as msg_id 1000000001"), host.Logs.Text);
    }

    // The probe after an outage is one mass send to the first subscribers who get the same digest: a probe of one
    // subscriber cannot be a mass send, went as a customer-service message, and for anyone who had not written in 48
    // hours was offered with their next message instead, one subscriber a probe, with the channel left down.
    [Fact]
    public async Task AfterAnOutageMassSendResumesWithAMassSendAndLeavesNobodyWaiting()
    {
        await using var host = await WeChatHost.StartAsync(new Dictionary<string, string?> { ["WeChat:PushMode"] = "MassSend", ["Delivery:ProbeInterval"] = "00:00:01" });
        var readers = new[] { "oQuiet1", "oQuiet2", "oQuiet3" };
        foreach (var reader in readers)
            await host.FollowAsync(reader);
        var longAgo = DateTimeOffset.UtcNow.AddDays(-3);
        await host.App.QueryAsync(db => db.Subscribers.ExecuteUpdateAsync(s => s.SetProperty(x => x.LastSeenAt, longAgo)));
        var banned = 1;
        host.Api.Respond = call => call.Path == FakeWeChatApi.MassSend && Interlocked.Exchange(ref banned, 0) == 1
            ? """{"errcode":48004,"errmsg":"api forbidden for irregularities, view detail on mp.weixin.qq.com"}"""
            : null;

        var issue = await host.PublishNextIssueAsync();

        foreach (var reader in readers)
            Assert.True(await host.DeliveryBecomesAsync(reader, issue, DeliveryStatus.Sent), reader);
        Assert.Empty(host.Api.CallsTo(FakeWeChatApi.CustomSend));
    }

    [Fact]
    public async Task AnAccountWithoutPushRightsStopsTheChannelWithAReasonNamingThePushModeSettingAndFailsNobody()
    {
        await using var host = await WeChatHost.StartAsync(new Dictionary<string, string?> { ["WeChat:PushMode"] = "CustomerService" });
        await host.FollowAsync("oUnreachable");
        host.Api.Respond = call => call.Path == FakeWeChatApi.CustomSend ? FakeWeChatApi.ApiUnauthorized : null;

        var issue = await host.PublishNextIssueAsync();

        Assert.True(await Eventually.HoldsAsync(async () => await host.App.QueryAsync(db => db.ChannelThrottles.AnyAsync(t => t.Channel == Channel.WeChat && t.DownSince != null)), TimeSpan.FromSeconds(20)));
        var reason = await host.App.QueryAsync(db => db.ChannelThrottles.Where(t => t.Channel == Channel.WeChat).Select(t => t.DownReason).SingleAsync());
        Assert.Contains("errcode 48001", reason, StringComparison.Ordinal);
        Assert.Contains("WeChat__PushMode", reason, StringComparison.Ordinal);
        var delivery = await host.App.QueryAsync(db => db.DeliveriesOfIssue(issue).Select(d => new { d.Status, d.Attempts }).SingleAsync());
        Assert.Equal(DeliveryStatus.Pending, delivery.Status);
        Assert.Equal(0, delivery.Attempts);
        Assert.Contains(host.Logs.Lines, line => line.Contains("wechat: unable to send a customer-service message to oUnreachable: errcode 48001", StringComparison.Ordinal));
    }

    // 48004 and 50002 are what a banned account gets for every call: each send failing on its own would fail every
    // subscriber of the push in a burst, and leave them failed once the ban is lifted.
    [Theory]
    [InlineData("""{"errcode":48004,"errmsg":"api forbidden for irregularities, view detail on mp.weixin.qq.com"}""", "errcode 48004")]
    [InlineData("""{"errcode":50002,"errmsg":"user limited"}""", "errcode 50002")]
    public async Task ABannedAccountStopsTheChannelWithAReasonAndFailsNobody(string answer, string code)
    {
        await using var host = await WeChatHost.StartAsync(new Dictionary<string, string?> { ["WeChat:PushMode"] = "CustomerService" });
        foreach (var reader in new[] { "oFirst", "oSecond", "oThird" })
            await host.FollowAsync(reader);
        host.Api.Respond = call => call.Path == FakeWeChatApi.CustomSend ? answer : null;

        var issue = await host.PublishNextIssueAsync();

        Assert.True(await Eventually.HoldsAsync(async () => await host.App.QueryAsync(db => db.ChannelThrottles.AnyAsync(t => t.Channel == Channel.WeChat && t.DownSince != null)), TimeSpan.FromSeconds(20)));
        var reason = await host.App.QueryAsync(db => db.ChannelThrottles.Where(t => t.Channel == Channel.WeChat).Select(t => t.DownReason).SingleAsync());
        Assert.Contains(code, reason, StringComparison.Ordinal);
        Assert.Contains("mp.weixin.qq.com", reason, StringComparison.Ordinal);
        var deliveries = await host.App.QueryAsync(db => db.DeliveriesOfIssue(issue).Select(d => new { d.Status, d.Attempts }).ToListAsync());
        Assert.Equal(3, deliveries.Count);
        Assert.All(deliveries, d => Assert.Equal((DeliveryStatus.Pending, 0), (d.Status, d.Attempts)));
    }

    [Fact]
    public async Task AnAppSecretResetOnThePlatformStopsTheChannelWithAReasonNamingTheSettingAndFailsNobody()
    {
        await using var host = await WeChatHost.StartAsync(new Dictionary<string, string?>
        {
            ["WeChat:PushMode"] = "CustomerService",
            ["WeChat:AppSecret"] = "AppSecretBeforeTheResetOnThePlatform",
        });
        await host.FollowAsync("oReader");

        var issue = await host.PublishNextIssueAsync();

        Assert.True(await Eventually.HoldsAsync(async () => await host.App.QueryAsync(db => db.ChannelThrottles.AnyAsync(t => t.Channel == Channel.WeChat && t.DownSince != null)), TimeSpan.FromSeconds(20)));
        var reason = await host.App.QueryAsync(db => db.ChannelThrottles.Where(t => t.Channel == Channel.WeChat).Select(t => t.DownReason).SingleAsync());
        Assert.Contains("errcode 40125", reason, StringComparison.Ordinal);
        Assert.Contains("WeChat__AppSecret", reason, StringComparison.Ordinal);
        var delivery = await host.App.QueryAsync(db => db.DeliveriesOfIssue(issue).Select(d => new { d.Status, d.Attempts }).SingleAsync());
        Assert.Equal(DeliveryStatus.Pending, delivery.Status);
        Assert.Equal(0, delivery.Attempts);
        Assert.Empty(host.Api.CallsTo(FakeWeChatApi.CustomSend));
    }

    [Fact]
    public async Task PushProgressCountsSubscribersWaitingForTheirNextMessage()
    {
        await using var host = await WeChatHost.StartAsync();
        await host.FollowAsync("oWaiter");
        var issue = await host.PublishNextIssueAsync();
        Assert.True(await host.DeliveryBecomesAsync("oWaiter", issue, DeliveryStatus.Waiting));

        var pushId = await host.App.QueryAsync(db => db.Pushes.Where(p => p.IssueId == issue).Select(p => p.Id).SingleAsync());
        await using var scope = host.App.Services.CreateAsyncScope();
        var progress = await scope.ServiceProvider.GetRequiredService<PushProgress>().ReadAsync(pushId, CancellationToken.None);

        Assert.Contains("waiting for next message 1", progress!.Describe(), StringComparison.Ordinal);
        Assert.Contains(WeChatSender.NextMessageReason, await host.App.QueryAsync(db => db.Deliveries.Where(d => d.PushId == pushId).Select(d => d.LastError).SingleAsync()), StringComparison.Ordinal);
    }
}
