using System.Collections.Concurrent;
using PaperBot.Core.Sending;
using PaperBot.Tests.Channels.WeChat;

namespace PaperBot.Tests.Sending;

/// <summary>
/// docs/delivery.md, WeChat: "Mass sends are started one a second" — Tencent counts an account's mass sends per minute,
/// and the engine hands over its groups back to back. Timed at the fake WeChat API as each call arrives.
/// </summary>
public sealed class WeChatMassSendPaceTests
{
    [Fact]
    public async Task ThreeMassSendsOfOnePushReachWeChatAboutASecondApartNotBackToBack()
    {
        var arrivals = new ConcurrentQueue<DateTimeOffset>();
        await using var host = await WeChatHost.StartAsync(
            new Dictionary<string, string?> { ["WeChat:PushMode"] = "MassSend" },
            call =>
            {
                if (call.Path == FakeWeChatApi.MassSend)
                    arrivals.Enqueue(DateTimeOffset.UtcNow);
                return null;
            });
        foreach (var openId in new[] { "oAll1", "oAll2", "oMoe1", "oMoe2", "oLong1", "oLong2" })
            await host.FollowAsync(openId);
        foreach (var openId in new[] { "oMoe1", "oMoe2" })
            await host.SayAsync(openId, "话题 add moe");
        foreach (var openId in new[] { "oLong1", "oLong2" })
            await host.SayAsync(openId, "话题 add long-context");

        var issue = await host.PublishNextIssueAsync();

        foreach (var openId in new[] { "oAll1", "oAll2", "oMoe1", "oMoe2", "oLong1", "oLong2" })
            Assert.True(await host.DeliveryBecomesAsync(openId, issue, DeliveryStatus.Sent), openId);
        Assert.Equal(3, host.Api.Accepted(FakeWeChatApi.MassSend).Count);
        var times = arrivals.Order().ToList();
        Assert.Equal(3, times.Count);
        // The bot starts each a second after the one before; one can reach the fake late on a loaded machine, so half a
        // second is allowed for that. Groups handed over back to back arrive milliseconds apart.
        Assert.All(times.Zip(times.Skip(1), (earlier, later) => later - earlier),
            gap => Assert.True(gap >= TimeSpan.FromMilliseconds(500), $"two mass sends {gap.TotalMilliseconds:F0} ms apart"));
    }
}
