using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PaperBot.Core.Publishing;
using PaperBot.Core.Sending;
using PaperBot.Core.Stats;
using PaperBot.WeChat;
using PaperBot.TestServices;

namespace PaperBot.Tests.Channels.WeChat;

/// <summary>
/// WeChat's report on a push's mass send (MASSSENDJOBFINISH) comes minutes after the send was accepted and its deliveries
/// recorded sent: a report that it went to no one fails that group's deliveries, nothing else does.
/// </summary>
public sealed class WeChatMassSendReportTests
{
    private static readonly string[] Everything = ["oAll1", "oAll2"];
    private static readonly string[] MoeOnly = ["oMoe1", "oMoe2"];

    [SkippableTheory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task AMassSendThePlatformsCheckStoppedFailsThatGroupWithTheReasonOnceAndTheOtherGroupStaysSent(string provider)
    {
        await using var host = await WeChatHost.StartAsync(new Dictionary<string, string?> { ["WeChat:PushMode"] = "MassSend", ["Storage:Provider"] = provider });
        var (issue, pushId, everythingMsgId, _) = await PushToTwoGroupsAsync(host);

        var report = WeChatHost.MassSendJobFinishedXml(everythingMsgId, "err(10001)", total: 2, sent: 0, errors: 0);
        Assert.Equal("success", await host.SendAsync(report));

        var reason = $"WeChat did not mass-send it (msg_id {everythingMsgId}): the platform's check suspects advertising (涉嫌广告); status err(10001). "
            + "Nobody in this mass send got it, and it is not sent again by itself: 群发记录 on the platform shows why; resend sends it again, "
            + "and a message the platform's check refused is refused again unless what it objected to has changed";
        foreach (var openId in Everything)
        {
            var delivery = await DeliveryAsync(host, openId, issue);
            Assert.Equal((DeliveryStatus.Failed, reason, (DateTimeOffset?)null), (delivery.Status, delivery.LastError, delivery.SentAt));
        }

        foreach (var openId in MoeOnly)
            Assert.Equal(DeliveryStatus.Sent, await host.DeliveryStatusAsync(openId, issue));
        Assert.Equal("sent 2 · skipped 0 · blocked 0 · failed 2 · remaining 0", await ProgressAsync(host, pushId));
        Assert.Contains($"上次推送:第 {issue} 期 · 发送失败", (await host.SayAsync("oAll1", "状态")).Content, StringComparison.Ordinal);
        Assert.Contains($"上次推送:第 {issue} 期 · 已送达", (await host.SayAsync("oMoe1", "状态")).Content, StringComparison.Ordinal);

        // WeChat's retry of the same push, and the same report sent again later: nothing more changes.
        Assert.Equal("success", await host.SendAsync(report));
        Assert.Equal("success", await host.SendAsync(WeChatHost.MassSendJobFinishedXml(everythingMsgId, "err(10001)", total: 2, sent: 0, errors: 0)));

        Assert.Equal("sent 2 · skipped 0 · blocked 0 · failed 2 · remaining 0", await ProgressAsync(host, pushId));
        Assert.Single(host.Logs.Lines, line => line.Contains($"mass send msg_id {everythingMsgId} went to no one", StringComparison.Ordinal));
        Assert.Equal(2, host.Api.Accepted(FakeWeChatApi.MassSend).Count);
    }

    [Fact]
    public async Task AReportOfSuccessWithErrorsOfAnUnknownMsgIdOrWithAForgedSignatureChangesNoDelivery()
    {
        await using var host = await WeChatHost.StartAsync(new Dictionary<string, string?> { ["WeChat:PushMode"] = "MassSend" });
        var (issue, pushId, everythingMsgId, moeMsgId) = await PushToTwoGroupsAsync(host);

        // WeChat says the send went out and 3 missed it, not whom: nobody's delivery can be told failed.
        Assert.Equal("success", await host.SendAsync(WeChatHost.MassSendJobFinishedXml(everythingMsgId, "send success", total: 5, sent: 2, errors: 3)));
        Assert.True(await host.Logs.WaitForAsync($"mass send msg_id {everythingMsgId} finished with send success: 2 of 5 sent, 3 failed"), host.Logs.Text);
        // A msg_id no delivery carries (another tool's mass send, or the account's article).
        Assert.Equal("success", await host.SendAsync(WeChatHost.MassSendJobFinishedXml(3_147_483_999, "send fail", total: 2, sent: 0, errors: 2)));
        // Someone without the Token reporting a refusal of the other group's send.
        var forged = WeChatHost.MassSendJobFinishedXml(moeMsgId, "err(10001)", total: 2, sent: 0, errors: 0);
        var timestamp = WeChatHost.Timestamp();
        var nonce = WeChatHost.Nonce();
        var encrypt = host.Crypto.Encrypt(forged);
        var response = await host.PostRawAsync(
            $"/wechat?signature={WeChatSignature.ComputeUrlSignature("NotTheToken", timestamp, nonce)}&timestamp={timestamp}&nonce={nonce}&openid=oV5CrjpxgaGXNHIQigzNlgLTnwic"
            + $"&encrypt_type=aes&msg_signature={WeChatSignature.ComputeMessageSignature("NotTheToken", timestamp, nonce, encrypt)}",
            $"<xml><ToUserName><![CDATA[{WeChatHost.Account}]]></ToUserName><Encrypt><![CDATA[{encrypt}]]></Encrypt></xml>");
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);

        foreach (var openId in Everything.Concat(MoeOnly))
        {
            var delivery = await DeliveryAsync(host, openId, issue);
            Assert.Equal((DeliveryStatus.Sent, (string?)null), (delivery.Status, delivery.LastError));
        }

        Assert.Equal("sent 4 · skipped 0 · blocked 0 · failed 0 · remaining 0", await ProgressAsync(host, pushId));
    }

    // The mass send went out but its answer was lost; the send again is refused by WeChat as a repeat (45065), naming the
    // first send's msg_id, and the deliveries count as sent by that send: its report that it went to no one fails them.
    [Fact]
    public async Task AMassSendWhoseAnswerWasLostIsFailedByTheReportOnTheSendThatWentOut()
    {
        await using var host = await WeChatHost.StartAsync(new Dictionary<string, string?> { ["WeChat:PushMode"] = "MassSend", ["Delivery:RetryDelay"] = "00:00:01" });
        host.Api.DropAnswer = call => call.Path == FakeWeChatApi.MassSend && host.Api.CallsTo(FakeWeChatApi.MassSend).Count == 1;
        foreach (var openId in Everything)
            await host.FollowAsync(openId);

        var issue = await host.PublishNextIssueAsync();

        foreach (var openId in Everything)
            Assert.True(await host.DeliveryBecomesAsync(openId, issue, DeliveryStatus.Sent), openId);
        var sends = host.Api.CallsTo(FakeWeChatApi.MassSend);
        Assert.Equal(2, sends.Count);
        var msgId = JsonDocument.Parse(sends[0].Response).RootElement.GetProperty("msg_id").GetInt64();
        Assert.StartsWith("""{"errcode":45065,""", sends[1].Response, StringComparison.Ordinal);

        Assert.Equal("success", await host.SendAsync(WeChatHost.MassSendJobFinishedXml(msgId, "send fail", total: 2, sent: 0, errors: 2)));

        foreach (var openId in Everything)
        {
            var delivery = await DeliveryAsync(host, openId, issue);
            Assert.Equal(DeliveryStatus.Failed, delivery.Status);
            Assert.StartsWith($"WeChat did not mass-send it (msg_id {msgId}): the mass send failed (send fail).", delivery.LastError, StringComparison.Ordinal);
        }

        Assert.Contains(host.Logs.Lines, line => line.Contains($"was already made as msg_id {msgId} (errcode 45065)", StringComparison.Ordinal));
    }

    // The admin resends an issue whose mass send went to no one: the same subscribers and text make the same clientmsgid,
    // which WeChat answers for 24 hours as a repeat (45065) of the send that failed. Nothing went out again, so the
    // deliveries stay failed and say why, instead of counting as sent.
    [Fact]
    public async Task AResendWeChatTakesForARepeatOfTheMassSendThatWentToNoOneStaysFailed()
    {
        await using var host = await WeChatHost.StartAsync(new Dictionary<string, string?> { ["WeChat:PushMode"] = "MassSend" });
        foreach (var openId in Everything)
            await host.FollowAsync(openId);
        var issue = await host.PublishNextIssueAsync();
        foreach (var openId in Everything)
            Assert.True(await host.DeliveryBecomesAsync(openId, issue, DeliveryStatus.Sent), openId);
        var msgId = JsonDocument.Parse(Assert.Single(host.Api.CallsTo(FakeWeChatApi.MassSend)).Response).RootElement.GetProperty("msg_id").GetInt64();
        Assert.Equal("success", await host.SendAsync(WeChatHost.MassSendJobFinishedXml(msgId, "send fail", total: 2, sent: 0, errors: 2)));
        foreach (var openId in Everything)
            Assert.True(await host.DeliveryBecomesAsync(openId, issue, DeliveryStatus.Failed), openId);

        await using (var scope = host.App.Services.CreateAsyncScope())
            Assert.IsType<ResendOutcome.Requeued>(await scope.ServiceProvider.GetRequiredService<Resender>().ResendAsync(issue, "test", CancellationToken.None));

        Assert.True(await Eventually.HoldsAsync(() => Task.FromResult(host.Api.CallsTo(FakeWeChatApi.MassSend).Count == 2)));
        var reason = $"WeChat took this resend for a repeat of mass send msg_id {msgId} (errcode 45065: the same subscribers and text within 24 hours), "
            + "which went to no one; nothing was sent. Resend it after those 24 hours, or once the message has changed";
        foreach (var openId in Everything)
        {
            Assert.True(await Eventually.HoldsAsync(async () => (await DeliveryAsync(host, openId, issue)).LastError == reason), openId);
            Assert.Equal(DeliveryStatus.Failed, (await DeliveryAsync(host, openId, issue)).Status);
        }

        var pushId = await host.App.QueryAsync(db => db.Pushes.Where(p => p.IssueId == issue).Select(p => p.Id).SingleAsync());
        Assert.Equal("sent 0 · skipped 0 · blocked 0 · failed 2 · remaining 0", await ProgressAsync(host, pushId));
    }

    // A group with a recipient WeChat refuses is halved until that one is found, the other halves sent meanwhile: the
    // half that went out has its msg_id, and WeChat's report that it went to no one, before the group's results are
    // written. The report still fails that half's deliveries once they are.
    [Fact]
    public async Task AReportThatAMassSendWentToNoOneArrivingBeforeItsResultIsWrittenStillFailsItsDeliveries()
    {
        await using var host = await WeChatHost.StartAsync(new Dictionary<string, string?> { ["WeChat:PushMode"] = "MassSend" });
        string[] readers = ["oHalf1", "oHalf2", "oHalf3", "oGone"];
        foreach (var openId in readers)
            await host.FollowAsync(openId);
        const string invalidOpenId = """{"errcode":40003,"errmsg":"invalid openid hint: [Hd5Ja08723] rid: 6571c1f2-3b2a4e8d-5c7f9a30"}""";
        host.Api.Respond = call =>
            (call.Path == FakeWeChatApi.MassSend && call.Json.GetProperty("touser").EnumerateArray().Any(o => o.GetString() == "oGone"))
            || (call.Path == FakeWeChatApi.CustomSend && call.ToUser == "oGone")
                ? invalidOpenId
                : null;
        host.Api.Delay = call => call.Path == FakeWeChatApi.CustomSend ? TimeSpan.FromSeconds(3) : TimeSpan.Zero;

        var issue = await host.PublishNextIssueAsync();
        Assert.True(await Eventually.HoldsAsync(() => Task.FromResult(host.Api.Accepted(FakeWeChatApi.MassSend).Count == 1)));
        var sent = Assert.Single(host.Api.Accepted(FakeWeChatApi.MassSend));
        var msgId = JsonDocument.Parse(sent.Response).RootElement.GetProperty("msg_id").GetInt64();
        string[] half = [.. sent.Json.GetProperty("touser").EnumerateArray().Select(o => o.GetString()!)];
        Assert.Equal(2, half.Length);
        Assert.DoesNotContain("oGone", half);
        Assert.NotEqual(DeliveryStatus.Sent, await host.DeliveryStatusAsync(half[0], issue));
        Assert.Equal("success", await host.SendAsync(WeChatHost.MassSendJobFinishedXml(msgId, "send fail", total: 2, sent: 0, errors: 2)));

        Assert.True(await host.DeliveryBecomesAsync("oGone", issue, DeliveryStatus.Blocked));
        foreach (var openId in half)
        {
            Assert.True(await Eventually.HoldsAsync(async () => await host.DeliveryStatusAsync(openId, issue) == DeliveryStatus.Failed, TimeSpan.FromSeconds(20)), openId);
            Assert.StartsWith($"WeChat did not mass-send it (msg_id {msgId}): the mass send failed (send fail).", (await DeliveryAsync(host, openId, issue)).LastError, StringComparison.Ordinal);
        }

        var other = readers.Except(half).Single(r => r != "oGone");
        Assert.Equal(DeliveryStatus.Sent, await host.DeliveryStatusAsync(other, issue));
    }

    // The mass send went out and its answer was lost, and WeChat's report that it went to no one comes before the send
    // is made again; the bot restarts meanwhile (same database, same WeChat). The send again after the restart is taken
    // for a repeat of that msg_id (45065), and the report received before the restart fails its deliveries.
    [Fact]
    public async Task AReportKeptForAMassSendWhoseResultIsWrittenAfterARestartStillFailsItsDeliveries()
    {
        var directory = Directory.CreateTempSubdirectory("paperbot-restart-");
        try
        {
            await RestartedAsync(directory);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            directory.Delete(recursive: true);
        }
    }

    private static async Task RestartedAsync(DirectoryInfo directory)
    {
        await using var api = await FakeWeChatApi.StartAsync(WeChatHost.AppId, WeChatHost.AppSecret);
        var settings = new Dictionary<string, string?>
        {
            ["WeChat:PushMode"] = "MassSend",
            ["Delivery:RetryDelay"] = "00:10:00",
            ["ConnectionStrings:PaperBot"] = $"Data Source={Path.Combine(directory.FullName, "paperbot.db")}",
        };
        api.DropAnswer = call => call.Path == FakeWeChatApi.MassSend && api.CallsTo(FakeWeChatApi.MassSend).Count == 1;
        int issue;
        long msgId;
        await using (var before = await WeChatHost.StartAsync(settings, api: api))
        {
            foreach (var openId in Everything)
                await before.FollowAsync(openId);
            issue = await before.PublishNextIssueAsync();
            foreach (var openId in Everything)
            {
                Assert.True(await Eventually.HoldsAsync(async () => (await DeliveryAsync(before, openId, issue)).AmbiguousSends == 1), openId);
                Assert.Equal(DeliveryStatus.Pending, await before.DeliveryStatusAsync(openId, issue));
            }

            msgId = JsonDocument.Parse(Assert.Single(api.CallsTo(FakeWeChatApi.MassSend)).Response).RootElement.GetProperty("msg_id").GetInt64();
            Assert.Equal("success", await before.SendAsync(WeChatHost.MassSendJobFinishedXml(msgId, "send fail", total: 2, sent: 0, errors: 2)));
        }

        await using var after = await WeChatHost.StartAsync(settings, api: api);
        // The retry falls due: ten minutes later.
        await after.App.QueryAsync(db => db.DeliveriesOfIssue(issue).ExecuteUpdateAsync(d => d.SetProperty(x => x.NextAttemptAt, (DateTimeOffset?)null)));

        foreach (var openId in Everything)
        {
            Assert.True(await after.DeliveryBecomesAsync(openId, issue, DeliveryStatus.Failed), openId);
            Assert.StartsWith($"WeChat did not mass-send it (msg_id {msgId}): the mass send failed (send fail).", (await DeliveryAsync(after, openId, issue)).LastError, StringComparison.Ordinal);
        }

        var sends = api.CallsTo(FakeWeChatApi.MassSend);
        Assert.Equal(2, sends.Count);
        Assert.StartsWith("""{"errcode":45065,""", sends[1].Response, StringComparison.Ordinal);
        Assert.Contains(msgId.ToString(CultureInfo.InvariantCulture), sends[1].Response, StringComparison.Ordinal);
    }

    /// <summary>An issue pushed to two groups of two (everything, and mixture of experts only): two mass sends.</summary>
    private static async Task<(int Issue, int PushId, long EverythingMsgId, long MoeMsgId)> PushToTwoGroupsAsync(WeChatHost host)
    {
        foreach (var openId in Everything.Concat(MoeOnly))
            await host.FollowAsync(openId);
        foreach (var openId in MoeOnly)
            await host.SayAsync(openId, "话题 add moe");

        var issue = await host.PublishNextIssueAsync();

        foreach (var openId in Everything.Concat(MoeOnly))
            Assert.True(await host.DeliveryBecomesAsync(openId, issue, DeliveryStatus.Sent), openId);
        var sends = host.Api.Accepted(FakeWeChatApi.MassSend);
        Assert.Equal(2, sends.Count);
        long MsgIdTo(string openId) => sends
            .Where(call => call.Json.GetProperty("touser").EnumerateArray().Any(o => o.GetString() == openId))
            .Select(call => JsonDocument.Parse(call.Response).RootElement.GetProperty("msg_id").GetInt64())
            .Single();
        var pushId = await host.App.QueryAsync(db => db.Pushes.Where(p => p.IssueId == issue).Select(p => p.Id).SingleAsync());
        return (issue, pushId, MsgIdTo("oAll1"), MsgIdTo("oMoe1"));
    }

    private static Task<Delivery> DeliveryAsync(WeChatHost host, string openId, int issue) =>
        host.App.QueryAsync(db => db.DeliveriesOfIssue(issue).To(db, openId).AsNoTracking().SingleAsync());

    /// <summary>The counts of the admin's progress, from the push's tallies.</summary>
    private static async Task<string> ProgressAsync(WeChatHost host, int pushId)
    {
        await using var scope = host.App.Services.CreateAsyncScope();
        var progress = await scope.ServiceProvider.GetRequiredService<PushProgress>().ReadAsync(pushId, CancellationToken.None);
        var ledger = progress!.Ledger;
        return string.Create(CultureInfo.InvariantCulture,
            $"sent {ledger.Sent} · skipped {ledger.Skipped} · blocked {ledger.Blocked} · failed {ledger.Failed} · remaining {ledger.Pending}");
    }
}
