using PaperBot.Channels.WeChat;
using PaperBot.Core.Sending;
using PaperBot.WeChat;

namespace PaperBot.Tests.Channels.WeChat;

public sealed class WeChatErrorsTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 9, 30, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(45015, typeof(SendOutcome.Deferred))]
    [InlineData(45047, typeof(SendOutcome.Deferred))]
    [InlineData(43004, typeof(SendOutcome.ChatGone))]
    [InlineData(43019, typeof(SendOutcome.ChatGone))]
    [InlineData(40003, typeof(SendOutcome.ChatGone))]
    [InlineData(45009, typeof(SendOutcome.RetryAfter))]
    [InlineData(45011, typeof(SendOutcome.RetryAfter))]
    [InlineData(45066, typeof(SendOutcome.RetryAfter))]
    [InlineData(45028, typeof(SendOutcome.RetryAfter))]
    [InlineData(48001, typeof(SendOutcome.ChannelDown))]
    [InlineData(40164, typeof(SendOutcome.ChannelDown))]
    [InlineData(42001, typeof(SendOutcome.ChannelDown))]
    [InlineData(40125, typeof(SendOutcome.ChannelDown))]
    [InlineData(40013, typeof(SendOutcome.ChannelDown))]
    [InlineData(-1, typeof(SendOutcome.Transient))]
    [InlineData(45004, typeof(SendOutcome.Failed))]
    public void EachErrorCodeBecomesTheDeliveryStateItMeans(int errorCode, Type outcome)
    {
        var error = new WeChatApiException("/cgi-bin/message/custom/send", errorCode, "as documented rid: 1");

        var result = WeChatErrors.Outcome(error, Now);

        Assert.IsType(outcome, result);
        Assert.Contains($"errcode {errorCode}", result.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void TheDailyQuotaWaitsUntilMidnightBeijingTime()
    {
        var result = WeChatErrors.Outcome(new WeChatApiException("/cgi-bin/message/custom/send", 45009, "reach max api daily quota limit"), Now);

        // 09:30 UTC is 17:30 in Beijing: six and a half hours to midnight there.
        var retry = Assert.IsType<SendOutcome.RetryAfter>(result);
        Assert.Equal(TimeSpan.FromHours(6.5), retry.Wait);
        Assert.Equal(RetryScope.Channel, retry.Scope);
    }

    [Fact]
    public void AMassSendRefusedAsARepeatOfItsClientMsgIdCountsAsDelivered()
    {
        var error = new WeChatApiException("/cgi-bin/message/mass/send", 45065, "clientmsgid exist");

        Assert.IsType<SendOutcome.Delivered>(WeChatErrors.Outcome(error, Now));
    }

    [Theory]
    [InlineData(true, false, typeof(SendOutcome.Transient))]
    [InlineData(false, false, typeof(SendOutcome.Failed))]
    [InlineData(true, true, typeof(SendOutcome.Ambiguous))]
    public void TransportFailuresAreRetriedWhenRetryableAndAmbiguousWhenTheRequestMayHaveArrived(bool retryable, bool mayHaveArrived, Type outcome)
    {
        var error = new WeChatTransportException("/cgi-bin/message/mass/send", "HTTP 502", retryable, mayHaveArrived: mayHaveArrived);
        Assert.IsType(outcome, WeChatErrors.Outcome(error, Now));
    }

    [Fact]
    public void AnIpOutsideTheAllowListIsExplained()
    {
        var error = new WeChatApiException("/cgi-bin/token", 40164, "invalid ip 203.0.113.7 ipv6 ::ffff:203.0.113.7, not in whitelist rid: 6554a1b2-1c2d3e4f-5a6b7c8d");

        Assert.Contains("IP allow-list", WeChatErrors.Describe(error), StringComparison.Ordinal);
    }
}
