using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PaperBot.Core.Data;
using PaperBot.Core.Subscribers;

namespace PaperBot.Tests.Channels.WeChat;

// Messages and events as 接收普通消息 and 接收事件推送 document them, answered as 被动回复用户消息 allows.
public sealed class WeChatMessageTests
{
    [Theory]
    [InlineData("论文 4", "Rho-1")]
    [InlineData("论文4", "Rho-1")]
    [InlineData("4", "Rho-1")]
    [InlineData("paper 4", "Rho-1")]
    [InlineData("/paper 4", "Rho-1")]
    public async Task PaperWordsAliasesAndBareNumbersOpenThePaperAsAnArticle(string text, string title)
    {
        await using var host = await WeChatHost.StartAsync();

        var reply = await host.SayAsync("oReader", text);

        Assert.Equal("news", reply.MsgType);
        Assert.Contains(title, reply.ArticleTitle, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("最新", "第 1 期")]
    [InlineData("latest", "第 1 期")]
    [InlineData("往期", "往期")]
    [InlineData("帮助", "论文 4")]
    [InlineData("搜索 长上下文", "长上下文")]
    [InlineData("论文 99", "没有第 99 篇")]
    [InlineData("你好", "没看懂")]
    public async Task TextCommandsReplyWithText(string text, string expected)
    {
        await using var host = await WeChatHost.StartAsync();

        var reply = await host.SayAsync("oReader", text);

        Assert.Equal("text", reply.MsgType);
        Assert.Contains(expected, reply.Content, StringComparison.Ordinal);
        Assert.True(System.Text.Encoding.UTF8.GetByteCount(reply.Content) <= 2048);
    }

    [Fact]
    public async Task TheTopicListWithItsDescriptionsFitsOneTextAndStillEndsWithHowToChangeTheFilter()
    {
        await using var host = await WeChatHost.StartAsync();

        var reply = await host.SayAsync("oReader", "话题");

        Assert.True(System.Text.Encoding.UTF8.GetByteCount(reply.Content) <= 2048);
        Assert.Contains("· 模型架构 (architecture):新的模型架构或核心模块", reply.Content, StringComparison.Ordinal);
        Assert.EndsWith("\n\n点击话题可添加或移除;也可以发送 /topics add 话题、/topics remove 话题、/topics clear。", reply.Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LinksInTextRepliesAreWeChatAnchors()
    {
        await using var host = await WeChatHost.StartAsync();

        var reply = await host.SayAsync("oReader", "最新");

        Assert.DoesNotContain("<b>", reply.Content, StringComparison.Ordinal);
        var welcome = await host.FollowAsync("oNewcomer", "paper_4");
        Assert.Contains("<a href=\"https://arxiv.org/abs/2404.07965\">arXiv 2404.07965</a>", welcome.Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FollowingSubscribesAndWelcomes()
    {
        await using var host = await WeChatHost.StartAsync();

        var reply = await host.FollowAsync("oFollower");

        Assert.Equal("text", reply.MsgType);
        Assert.Contains("欢迎订阅", reply.Content, StringComparison.Ordinal);
        var subscriber = await host.SubscriberAsync("oFollower");
        Assert.Equal(SubscriberStatus.Active, subscriber!.Status);
        Assert.Equal("oFollower", subscriber.UserId);
    }

    [Fact]
    public async Task FollowingThroughAPaperQrCodeOpensThatPaper()
    {
        await using var host = await WeChatHost.StartAsync();

        var reply = await host.FollowAsync("oScanner", "paper_4");

        Assert.Contains("欢迎订阅", reply.Content, StringComparison.Ordinal);
        Assert.Contains("Rho-1", reply.Content, StringComparison.Ordinal);
        Assert.Equal(SubscriberStatus.Active, (await host.SubscriberAsync("oScanner"))!.Status);
    }

    [Fact]
    public async Task UnfollowingStopsPushesWithoutAReply()
    {
        await using var host = await WeChatHost.StartAsync();
        await host.FollowAsync("oLeaver");

        var answer = await host.SendAsync(WeChatHost.EventXml("oLeaver", "unsubscribe"));

        Assert.Equal("success", answer);
        Assert.Equal(SubscriberStatus.Unsubscribed, (await host.SubscriberAsync("oLeaver"))!.Status);
    }

    [Fact]
    public async Task AMenuClickRunsTheCommandNamedByItsKey()
    {
        await using var host = await WeChatHost.StartAsync();

        var reply = new ReplyXml(await host.SendAsync(WeChatHost.EventXml("oClicker", "CLICK", "latest")));

        Assert.Contains("第 1 期", reply.Content, StringComparison.Ordinal);
        Assert.Contains("1. ", reply.Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TwoMenuTapsInTheSameSecondGetTwoAnswers()
    {
        await using var host = await WeChatHost.StartAsync();
        const long SameSecond = 1_800_000_000;

        var latest = new ReplyXml(await host.SendAsync(WeChatHost.EventXml("oTapper", "CLICK", "latest", SameSecond)));
        var archive = new ReplyXml(await host.SendAsync(WeChatHost.EventXml("oTapper", "CLICK", "issues", SameSecond)));

        Assert.Contains("1. ", latest.Content, StringComparison.Ordinal);
        Assert.Contains("往期", archive.Content, StringComparison.Ordinal);
        Assert.Equal(2, await host.ReceiptCountAsync());
    }

    [Fact]
    public async Task AVoiceMessageIsReadByItsRecognition()
    {
        await using var host = await WeChatHost.StartAsync();
        var voice = $"""
            <xml>
              <ToUserName><![CDATA[{WeChatHost.Account}]]></ToUserName>
              <FromUserName><![CDATA[oSpeaker]]></FromUserName>
              <CreateTime>{WeChatHost.NextCreateTime()}</CreateTime>
              <MsgType><![CDATA[voice]]></MsgType>
              <MediaId><![CDATA[media_id]]></MediaId>
              <Format><![CDATA[amr]]></Format>
              <Recognition><![CDATA[论文4。]]></Recognition>
              <MsgId>{WeChatHost.NextMsgId()}</MsgId>
            </xml>
            """;

        var reply = new ReplyXml(await host.SendAsync(voice));

        Assert.Contains("Rho-1", reply.ArticleTitle, StringComparison.Ordinal);
    }

    [Fact]
    public async Task APictureGetsAHintThatTheBotReadsText()
    {
        await using var host = await WeChatHost.StartAsync();
        var image = $"""
            <xml>
              <ToUserName><![CDATA[{WeChatHost.Account}]]></ToUserName>
              <FromUserName><![CDATA[oPhotographer]]></FromUserName>
              <CreateTime>{WeChatHost.NextCreateTime()}</CreateTime>
              <MsgType><![CDATA[image]]></MsgType>
              <PicUrl><![CDATA[this is a url]]></PicUrl>
              <MediaId><![CDATA[media_id]]></MediaId>
              <MsgId>{WeChatHost.NextMsgId()}</MsgId>
            </xml>
            """;

        var reply = new ReplyXml(await host.SendAsync(image));

        Assert.Contains("我只读得懂文字消息", reply.Content, StringComparison.Ordinal);
        Assert.NotNull(await host.SubscriberAsync("oPhotographer"));
    }

    // WeChat passes a sticker, a 视频号 card and the like on as a text of its own (MsgType text), in the sender's client language.
    [Theory]
    [InlineData("【收到不支持的消息类型，暂无法显示】")]
    [InlineData("[收到不支持的消息类型,暂时无法显示]")]
    [InlineData("[Unsupported Message]")]
    public async Task WeChatsPlaceholderForAStickerGetsTheHintThatTheBotReadsText(string placeholder)
    {
        await using var host = await WeChatHost.StartAsync();

        var reply = await host.SayAsync("oSticker", placeholder);

        Assert.Equal("text", reply.MsgType);
        Assert.Contains("我只读得懂文字消息", reply.Content, StringComparison.Ordinal);
        Assert.DoesNotContain(placeholder, reply.Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheSameMsgIdThreeTimesHasOneEffectAndTheSameAnswer()
    {
        await using var host = await WeChatHost.StartAsync();
        var message = WeChatHost.TextXml("oImpatient", "订阅");

        var answers = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => host.SendAsync(message)));

        Assert.Contains("已订阅", answers[0], StringComparison.Ordinal);
        Assert.Equal(answers[0], answers[1]);
        Assert.Equal(answers[0], answers[2]);
        Assert.Equal(1, await host.ReceiptCountAsync());
        var again = await host.SayAsync("oImpatient", "订阅");
        Assert.Contains("你已经订阅了", again.Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARetryInSafeModeGetsTheSameReplyEncryptedAfresh()
    {
        await using var host = await WeChatHost.StartAsync();
        var message = WeChatHost.TextXml("oRetried", "订阅");

        var first = await host.PostAsync(message, Encryption.Safe);
        var retry = await host.PostAsync(message, Encryption.Safe);

        var firstBody = await first.Content.ReadAsStringAsync();
        var retryBody = await retry.Content.ReadAsStringAsync();
        Assert.NotEqual(firstBody, retryBody);
        Assert.Equal(host.Decrypt(firstBody), host.Decrypt(retryBody));
        Assert.Contains("已订阅", host.Decrypt(retryBody), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASlowReplyIsAnsweredSuccessAndFollowsAsACustomerServiceMessage()
    {
        await using var host = await WeChatHost.StartAsync(new Dictionary<string, string?> { ["WeChat:ReplyBudget"] = "00:00:00" });
        var message = WeChatHost.TextXml("oPatient", "论文 4");

        var answer = await host.SendAsync(message);
        var sent = await host.Api.WaitForCallsAsync(FakeWeChatApi.CustomSend, 1);
        var retry = await host.SendAsync(message);

        Assert.Equal("success", answer);
        Assert.Equal("success", retry);
        var call = Assert.Single(host.Api.Accepted(FakeWeChatApi.CustomSend));
        Assert.Equal("oPatient", call.ToUser);
        Assert.Equal("news", call.Json.GetProperty("msgtype").GetString());
        var article = call.Json.GetProperty("news").GetProperty("articles")[0];
        Assert.Contains("Rho-1", article.GetProperty("title").GetString(), StringComparison.Ordinal);
        Assert.Equal($"{WeChatHost.PublicUrl}/issues/1/papers/4", article.GetProperty("url").GetString());
        Assert.Single(sent);
    }

    [Fact]
    public async Task ASlowReplyThatFindsWeChatBusyIsSentAgainAndArrivesOnce()
    {
        var attempts = 0;
        await using var host = await WeChatHost.StartAsync(new Dictionary<string, string?> { ["WeChat:ReplyBudget"] = "00:00:00" },
            respond: call => call.Path == FakeWeChatApi.CustomSend && Interlocked.Increment(ref attempts) == 1 ? """{"errcode":-1,"errmsg":"system error"}""" : null);

        Assert.Equal("success", await host.SendAsync(WeChatHost.TextXml("oUnlucky", "帮助")));

        var sent = await host.Api.WaitForCallsAsync(FakeWeChatApi.CustomSend, 2);
        Assert.Equal(2, sent.Count);
        var delivered = Assert.Single(host.Api.Accepted(FakeWeChatApi.CustomSend));
        Assert.Equal("oUnlucky", delivered.ToUser);
        Assert.Contains("论文 4", delivered.TextContent, StringComparison.Ordinal);
        Assert.True(await host.Logs.WaitForAsync("wechat: the reply to oUnlucky took longer than"), host.Logs.Text);
        Assert.DoesNotContain("unable to send the late reply to oUnlucky", host.Logs.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StoredAnswersAreForgottenAfterADayAndReceiptsAfterTheRetention()
    {
        await using var host = await WeChatHost.StartAsync(new Dictionary<string, string?> { ["Retention:Days"] = "30" });
        await host.SayAsync("oAncient", "帮助");
        await host.App.QueryAsync(db => db.InboundReceipts.ExecuteUpdateAsync(r => r.SetProperty(x => x.ReceivedAt, DateTimeOffset.UtcNow.AddDays(-31))));
        await host.SayAsync("oOld", "帮助");
        var aDayAgo = DateTimeOffset.UtcNow.AddDays(-1);
        await host.App.QueryAsync(db => db.InboundReceipts.Where(r => r.ReceivedAt > aDayAgo).ExecuteUpdateAsync(r => r.SetProperty(x => x.ReceivedAt, DateTimeOffset.UtcNow.AddDays(-2))));
        await host.SayAsync("oNew", "帮助");

        await using var scope = host.App.Services.CreateAsyncScope();
        var pruned = await scope.ServiceProvider.GetRequiredService<Housekeeping>().PruneAsync(CancellationToken.None);

        Assert.Equal(1, pruned.Receipts);
        Assert.Equal(2, await host.ReceiptCountAsync());
        var answers = await host.App.QueryAsync(db => db.InboundReceipts.OrderBy(r => r.ReceivedAt).Select(r => r.Response != null).ToListAsync());
        Assert.Equal([false, true], answers);
    }

    [Fact]
    public async Task ARequestWithoutABodyIsABadRequest()
    {
        await using var host = await WeChatHost.StartAsync();
        var timestamp = WeChatHost.Timestamp();

        var response = await host.PostRawAsync("/wechat" + WeChatHost.Query(timestamp, "1", "oEmpty"), "");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0, await host.App.QueryAsync(db => db.Subscribers.CountAsync(s => s.Channel == Channel.WeChat)));
    }
}
