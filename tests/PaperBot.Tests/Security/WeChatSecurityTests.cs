using System.Net;
using Microsoft.EntityFrameworkCore;
using PaperBot.Channels.WeChat;
using PaperBot.Core.Publishing;
using PaperBot.Core.Subscribers;
using PaperBot.Tests.Channels.WeChat;

namespace PaperBot.Tests.Security;

/// <summary>
/// /wechat as an attacker tries it: a signed URL seen in a log, replayed with another body or as plaintext to an
/// account that has an EncodingAESKey; timestamps from the past and the future; an admin's OpenID in plain mode.
/// </summary>
public sealed class WeChatSecurityTests
{
    private const string Admin = "oAdminOpenId";

    private static Dictionary<string, string?> WithAdmin() => new() { ["Admins:WeChat:0"] = Admin };

    [Fact]
    public async Task APlaintextAdminBroadcastToASafeModeAccountCausesNoBroadcast()
    {
        await using var host = await WeChatHost.StartAsync(WithAdmin());

        var response = await host.PostAsync(WeChatHost.TextXml(Admin, "广播 全体订阅者:本周停更"), Encryption.Plain);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("encrypted messages only", await response.Content.ReadAsStringAsync());
        Assert.Equal(0, await host.App.QueryAsync(db => db.Pushes.CountAsync(p => p.Kind == PushKind.Broadcast)));
        Assert.Equal(0, await host.ReceiptCountAsync());
        Assert.Single(host.Logs.Lines, l => l.Contains("wechat: refused a POST", StringComparison.Ordinal) && l.Contains("plaintext body without msg_signature", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheSameAdminBroadcastSignedInSafeModeIsPreviewedForConfirmation()
    {
        await using var host = await WeChatHost.StartAsync(WithAdmin());

        var reply = await host.SayAsync(Admin, "广播 本周停更", Encryption.Safe);

        Assert.Contains("公告预览", reply.Content, StringComparison.Ordinal);
        Assert.Equal(1, await host.App.QueryAsync(db => db.Pushes.CountAsync(p => p.Kind == PushKind.Broadcast && p.QueuedAt == null)));
    }

    [Fact]
    public async Task InPlainModeAnAdminCommandIsRefusedWithAClearReplyAndTheStartSaysSo()
    {
        await using var host = await WeChatHost.StartPlainAsync(WithAdmin());

        var reply = await host.SayAsync(Admin, "广播 本周停更");
        var reading = await host.SayAsync(Admin, "最新");

        Assert.StartsWith("管理员命令只在安全模式(或兼容模式)下受理", reply.Content, StringComparison.Ordinal);
        Assert.Contains("第 1 期", reading.Content, StringComparison.Ordinal);
        Assert.Equal(0, await host.App.QueryAsync(db => db.Pushes.CountAsync(p => p.Kind == PushKind.Broadcast)));
        Assert.True(await host.Logs.WaitForAsync(WeChatStartup.AdminsInPlainMode));
    }

    [Fact]
    public async Task AReplayedUrlSignatureWithAnotherBodyIsRefusedAndWeChatsRetryOfTheSameBodyIsAnsweredOnce()
    {
        await using var host = await WeChatHost.StartPlainAsync();
        var timestamp = WeChatHost.Timestamp();
        const string Nonce = "1408577431";
        var genuine = WeChatHost.TextXml("oGenuine", "订阅");

        var first = await host.PostAsync(genuine, timestamp: timestamp, nonce: Nonce);
        var forged = await host.PostAsync(WeChatHost.TextXml("oIntruder", "订阅"), timestamp: timestamp, nonce: Nonce);
        var retry = await host.PostAsync(genuine, timestamp: timestamp, nonce: Nonce);

        var firstBody = await first.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Contains("已订阅", new ReplyXml(firstBody).Content, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
        Assert.Equal("nonce already used", await forged.Content.ReadAsStringAsync());
        Assert.Null(await host.SubscriberAsync("oIntruder"));
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Assert.Equal(firstBody, await retry.Content.ReadAsStringAsync());
        Assert.Equal(1, await host.ReceiptCountAsync());
        Assert.Equal(SubscriberStatus.Active, (await host.SubscriberAsync("oGenuine"))!.Status);
    }

    [Fact]
    public async Task InSafeModeTheExactSameRequestTwiceIsAnsweredTheSameAndActsOnce()
    {
        await using var host = await WeChatHost.StartAsync();
        var timestamp = WeChatHost.Timestamp();
        var message = WeChatHost.TextXml("oTwice", "订阅");
        var encrypt = host.Crypto.Encrypt(message);
        var query = "/wechat" + WeChatHost.Query(timestamp, "77", "oTwice", encrypt);
        var body = $"<xml><ToUserName><![CDATA[{WeChatHost.Account}]]></ToUserName><Encrypt><![CDATA[{encrypt}]]></Encrypt></xml>";

        var first = await host.PostRawAsync(query, body);
        var again = await host.PostRawAsync(query, body);

        Assert.Contains("已订阅", host.Decrypt(await first.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Contains("已订阅", host.Decrypt(await again.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Equal(1, await host.ReceiptCountAsync());
    }

    [Theory]
    [InlineData(-6)]
    [InlineData(-60 * 24)]
    [InlineData(6)]
    [InlineData(60 * 24)]
    public async Task StaleAndFutureTimestampsAreRefusedWithoutEffect(int minutes)
    {
        await using var host = await WeChatHost.StartAsync(WithAdmin());

        var response = await host.PostAsync(WeChatHost.TextXml(Admin, "广播 过期的签名"), timestamp: WeChatHost.Timestamp(DateTimeOffset.UtcNow.AddMinutes(minutes)));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(0, await host.App.QueryAsync(db => db.Pushes.CountAsync(p => p.Kind == PushKind.Broadcast)));
        Assert.Equal(0, await host.ReceiptCountAsync());
        Assert.Equal(0, await host.App.QueryAsync(db => db.RequestNonces.CountAsync()));
    }

    [Fact]
    public async Task NoncesOlderThanTwiceTheSkewArePrunedWhenTheNextMessageArrives()
    {
        await using var host = await WeChatHost.StartAsync();
        await host.SayAsync("oEarly", "帮助");
        await host.App.QueryAsync(db => db.RequestNonces.ExecuteUpdateAsync(n => n.SetProperty(x => x.SeenAt, DateTimeOffset.UtcNow.AddMinutes(-11))));

        await host.SayAsync("oLater", "帮助");

        Assert.Equal(1, await host.App.QueryAsync(db => db.RequestNonces.CountAsync()));
    }
}
