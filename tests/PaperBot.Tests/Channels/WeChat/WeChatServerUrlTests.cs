using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PaperBot.WeChat;

namespace PaperBot.Tests.Channels.WeChat;

// The server URL as WeChat's servers call it (接入指南, 消息加解密说明): GET to verify it, POST for every
// message in plain, compatible and safe mode; and what an attacker who is not WeChat can do with it.
public sealed class WeChatServerUrlTests
{
    [Fact]
    public async Task VerificationEchoesTheEchostrWhenTheSignatureMatches()
    {
        await using var host = await WeChatHost.StartAsync();
        var timestamp = WeChatHost.Timestamp();
        var signature = WeChatSignature.ComputeUrlSignature(WeChatHost.Token, timestamp, "1514711492");

        var response = await host.Client.GetAsync($"/wechat?signature={signature}&echostr=5838479218127813673&timestamp={timestamp}&nonce=1514711492");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("5838479218127813673", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task AVerificationsSignedAddressCannotCarryAMessageAfterwards()
    {
        await using var host = await WeChatHost.StartPlainAsync();
        var timestamp = WeChatHost.Timestamp();
        var signature = WeChatSignature.ComputeUrlSignature(WeChatHost.Token, timestamp, "1514711492");
        var verification = $"/wechat?signature={signature}&echostr=5838479218127813673&timestamp={timestamp}&nonce=1514711492";
        Assert.Equal("5838479218127813673", await host.Client.GetStringAsync(verification));

        var replayed = await host.PostRawAsync("/wechat" + WeChatHost.Query(timestamp, "1514711492", "oIntruder"), WeChatHost.TextXml("oIntruder", "订阅"));

        Assert.Equal(HttpStatusCode.Forbidden, replayed.StatusCode);
        Assert.Null(await host.SubscriberAsync("oIntruder"));
        Assert.Equal("5838479218127813673", await host.Client.GetStringAsync(verification));
    }

    [Fact]
    public async Task VerificationWithAForgedSignatureIsRefusedWithoutTheEchostr()
    {
        await using var host = await WeChatHost.StartAsync();
        var timestamp = WeChatHost.Timestamp();
        var forged = WeChatSignature.ComputeUrlSignature("not-the-token", timestamp, "1514711492");

        var response = await host.Client.GetAsync($"/wechat?signature={forged}&echostr=5838479218127813673&timestamp={timestamp}&nonce=1514711492");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.DoesNotContain("5838479218127813673", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Encryption.Plain)]
    [InlineData(Encryption.Compatible)]
    [InlineData(Encryption.Safe)]
    public async Task PaperFourInEachEncryptionModeRepliesWithTheRho1Article(Encryption mode)
    {
        await using var host = await WeChatHost.StartForAsync(mode);

        var reply = await host.SayAsync("oRho1Reader", "论文 4", mode);

        Assert.Equal("news", reply.MsgType);
        Assert.Equal("oRho1Reader", reply.ToUserName);
        Assert.Contains("Rho-1", reply.ArticleTitle, StringComparison.Ordinal);
        Assert.StartsWith("4. ", reply.ArticleTitle, StringComparison.Ordinal);
        Assert.Equal($"{WeChatHost.PublicUrl}/issues/1/papers/4", reply.ArticleUrl);
        Assert.False(string.IsNullOrWhiteSpace(reply.ArticleDescription));
    }

    // A request can name any Host; with Web__PublicUrl set the reader must still be sent to the real site.
    [Fact]
    public async Task LinksInRepliesPointAtThePublicAddressWhateverHostTheRequestNamed()
    {
        await using var host = await WeChatHost.StartAsync();
        host.Client.DefaultRequestHeaders.Host = "attacker.example";

        var fourth = await host.SayAsync("oForged", "论文 4");
        var first = await host.SayAsync("oForged", "论文 1");

        Assert.Equal("https://papers.example.org/issues/1/papers/4", fourth.ArticleUrl);
        Assert.Equal("https://papers.example.org/issues/1/papers/1", first.ArticleUrl);
        Assert.DoesNotContain("attacker.example", fourth.Xml + first.Xml, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Encryption.Compatible)]
    [InlineData(Encryption.Safe)]
    public async Task EncryptedRequestsGetEncryptedReplies(Encryption mode)
    {
        await using var host = await WeChatHost.StartAsync();

        var response = await host.PostAsync(WeChatHost.TextXml("oSecretive", "论文 4"), mode);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain("Rho-1", body, StringComparison.Ordinal);
        Assert.Contains("Rho-1", host.Decrypt(body), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AForgedSignatureIsRefusedWithoutEffect()
    {
        await using var host = await WeChatHost.StartAsync();
        var timestamp = WeChatHost.Timestamp();
        var forged = WeChatSignature.ComputeUrlSignature("guessed-token", timestamp, "42");

        var response = await host.PostRawAsync("/wechat" + WeChatHost.Query(timestamp, "42", "oIntruder", signature: forged), WeChatHost.TextXml("oIntruder", "订阅"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("signature check failed", await response.Content.ReadAsStringAsync());
        Assert.Null(await host.SubscriberAsync("oIntruder"));
        Assert.Equal(0, await host.ReceiptCountAsync());
    }

    [Fact]
    public async Task AForgedMessageSignatureInSafeModeIsRefusedWithoutEffect()
    {
        await using var host = await WeChatHost.StartAsync();
        var timestamp = WeChatHost.Timestamp();
        var encrypt = host.Crypto.Encrypt(WeChatHost.TextXml("oIntruder", "订阅"));
        var query = $"/wechat?signature={WeChatSignature.ComputeUrlSignature(WeChatHost.Token, timestamp, "7")}&timestamp={timestamp}&nonce=7&openid=oIntruder"
            + $"&encrypt_type=aes&msg_signature={WeChatSignature.ComputeMessageSignature("guessed-token", timestamp, "7", encrypt)}";

        var response = await host.PostRawAsync(query, $"<xml><ToUserName><![CDATA[{WeChatHost.Account}]]></ToUserName><Encrypt><![CDATA[{encrypt}]]></Encrypt></xml>");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Null(await host.SubscriberAsync("oIntruder"));
        Assert.Equal(0, await host.ReceiptCountAsync());
    }

    [Fact]
    public async Task AReplayedRequestWithAStaleTimestampIsRefusedWithoutEffect()
    {
        await using var host = await WeChatHost.StartAsync();

        var response = await host.PostAsync(WeChatHost.TextXml("oReplayed", "订阅"), timestamp: WeChatHost.Timestamp(DateTimeOffset.UtcNow.AddMinutes(-10)));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Null(await host.SubscriberAsync("oReplayed"));
        Assert.Equal(0, await host.ReceiptCountAsync());
    }

    [Fact]
    public async Task AMessageEncryptedForAnotherAppIdIsRefusedWithoutEffect()
    {
        await using var host = await WeChatHost.StartAsync();
        var otherAccount = new WeChatMessageCrypto(WeChatHost.Token, WeChatHost.EncodingAesKey, "wx0123456789abcdef");

        var response = await host.PostAsync(WeChatHost.TextXml("oElsewhere", "订阅"), Encryption.Safe, crypto: otherAccount);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(await host.SubscriberAsync("oElsewhere"));
        Assert.Equal(0, await host.ReceiptCountAsync());
    }

    [Theory]
    [InlineData(Encryption.Plain)]
    [InlineData(Encryption.Safe)]
    public async Task AnXxeBodyIsRefusedWithNothingReadFromDisk(Encryption mode)
    {
        await using var host = await WeChatHost.StartForAsync(mode);
        var secret = Path.Combine(host.App.Directory, "secret.txt");
        const string Marker = "MARKER-7c1e0f52-do-not-leak";
        await File.WriteAllTextAsync(secret, Marker);
        var xxe = $"""
            <?xml version="1.0" encoding="utf-8"?>
            <!DOCTYPE xml [ <!ENTITY xxe SYSTEM "file://{secret}"> ]>
            <xml>
              <ToUserName><![CDATA[{WeChatHost.Account}]]></ToUserName>
              <FromUserName><![CDATA[oAttacker]]></FromUserName>
              <CreateTime>{WeChatHost.NextCreateTime()}</CreateTime>
              <MsgType><![CDATA[text]]></MsgType>
              <Content>&xxe;</Content>
              <MsgId>{WeChatHost.NextMsgId()}</MsgId>
            </xml>
            """;

        var response = await host.PostAsync(xxe, mode);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain(Marker, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(Marker, host.Logs.Text, StringComparison.Ordinal);
        Assert.Null(await host.SubscriberAsync("oAttacker"));
        Assert.Equal(0, await host.ReceiptCountAsync());
    }

    [Fact]
    public async Task AnOversizedBodyIsRefusedBeforeAnythingElse()
    {
        await using var host = await WeChatHost.StartAsync();
        var huge = WeChatHost.TextXml("oFlooder", new string('论', 30_000));

        var response = await host.PostAsync(huge);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Null(await host.SubscriberAsync("oFlooder"));
        Assert.Equal(0, await host.ReceiptCountAsync());
    }

    [Fact]
    public async Task WithoutATokenWeChatIsOffAndTheLogSaysHowToTurnItOn()
    {
        var logs = new LogCapture();
        using var app = new PaperBotApp(new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Information" })
            .WithServices(services => services.AddSingleton<ILoggerProvider>(logs));

        var response = await app.CreateClient().GetAsync("/wechat");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.True(await logs.WaitForAsync("wechat: off;"), logs.Text);
        Assert.Single(logs.Lines, line => line.Contains("wechat: off; set WeChat__Token (and WeChat__AppId, WeChat__AppSecret, WeChat__EncodingAesKey) to turn it on", StringComparison.Ordinal));
    }
}
