using System.Net;
using PaperBot.WeChat;

namespace PaperBot.Tests.Channels.WeChat;

public sealed class WeChatHostProcessTests
{
    [Fact]
    public async Task EnvironmentVariablesTurnWeChatOnInTheRealProgram()
    {
        await using var host = HostProcess.Start(new Dictionary<string, string>
        {
            ["WeChat__Token"] = WeChatHost.Token,
            ["WeChat__AppId"] = WeChatHost.AppId,
            ["WeChat__EncodingAesKey"] = WeChatHost.EncodingAesKey,
        });
        Assert.True(await host.WaitForHealthyAsync(TimeSpan.FromSeconds(30)), host.Output + host.Error);
        using var client = new HttpClient { BaseAddress = host.Address };
        var timestamp = WeChatHost.Timestamp();

        var verification = await client.GetAsync($"/wechat?signature={WeChatSignature.ComputeUrlSignature(WeChatHost.Token, timestamp, "9")}&echostr=hello&timestamp={timestamp}&nonce=9");
        var crypto = new WeChatMessageCrypto(WeChatHost.Token, WeChatHost.EncodingAesKey, WeChatHost.AppId);
        var encrypt = crypto.Encrypt(WeChatHost.TextXml("oProcess", "论文 4"));
        var reply = await client.PostAsync("/wechat" + WeChatHost.Query(timestamp, "10", "oProcess", encrypt),
            new StringContent($"<xml><ToUserName><![CDATA[{WeChatHost.Account}]]></ToUserName><Encrypt><![CDATA[{encrypt}]]></Encrypt></xml>"));

        Assert.Equal("hello", await verification.Content.ReadAsStringAsync());
        Assert.Contains("Rho-1", crypto.Decrypt((string)System.Xml.Linq.XElement.Parse(await reply.Content.ReadAsStringAsync()).Element("Encrypt")!), StringComparison.Ordinal);
        Assert.Contains("wechat: on at /wechat; push mode OnNextMessage", host.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(WeChatHost.EncodingAesKey, host.Output + host.Error, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, reply.StatusCode);
    }
}
