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
        var reply = await client.PostAsync("/wechat" + WeChatHost.Query(timestamp, "9", "oProcess"), new StringContent(WeChatHost.TextXml("oProcess", "论文 4")));

        Assert.Equal("hello", await verification.Content.ReadAsStringAsync());
        Assert.Contains("Rho-1", await reply.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("wechat: on at /wechat; push mode OnNextMessage", host.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(WeChatHost.EncodingAesKey, host.Output + host.Error, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, reply.StatusCode);
    }
}
