using System.Globalization;
using PaperBot.Core.Sending;
using PaperBot.WeChat;

namespace PaperBot.Channels.WeChat;

/// <summary>
/// What a WeChat API error means, as a channel-neutral <see cref="SendOutcome"/> — the only place the channel reads
/// errcodes (全局返回码, 客服消息, 群发): the recipient is gone, outside the 48-hour window, the account has no right
/// or quota, or the call may be tried again.
/// </summary>
public static class WeChatErrors
{
    /// <summary>Tencent's daily quotas start again at midnight Beijing time (UTC+8, no daylight saving).</summary>
    private static readonly TimeSpan Beijing = TimeSpan.FromHours(8);

    public static SendOutcome Outcome(WeChatException error, DateTimeOffset now) => error switch
    {
        WeChatApiException { Kind: WeChatErrorKind.AlreadySent } => new SendOutcome.Delivered(),
        WeChatApiException { Kind: WeChatErrorKind.OutsideReplyWindow or WeChatErrorKind.ResponseCountLimit } api =>
            new SendOutcome.Deferred($"{Code(api)}: outside the 48-hour window, or 20 messages since the subscriber last wrote; offered with their next message"),
        WeChatApiException { Kind: WeChatErrorKind.RecipientNotSubscribed or WeChatErrorKind.RecipientBlocked or WeChatErrorKind.InvalidOpenId } api =>
            new SendOutcome.ChatGone($"{Code(api)}: the subscriber no longer follows the account, or the account blocked them"),
        WeChatApiException { Kind: WeChatErrorKind.QuotaExceeded } api =>
            new SendOutcome.RetryAfter(UntilBeijingMidnight(now), RetryScope.Channel, $"{Code(api)}: the API's daily quota is used up; sending resumes after midnight Beijing time"),
        WeChatApiException { Kind: WeChatErrorKind.MassSendQuotaExceeded } api =>
            new SendOutcome.RetryAfter(UntilBeijingMidnight(now), RetryScope.Channel, $"{Code(api)}: the account's mass sends for the period are used up; trying again after midnight Beijing time"),
        WeChatApiException { Kind: WeChatErrorKind.RateLimited or WeChatErrorKind.RepeatTooSoon } api =>
            new SendOutcome.RetryAfter(TimeSpan.FromMinutes(1), RetryScope.Channel, $"{Code(api)}: the API's per-minute limit; trying again in a minute"),
        WeChatApiException { Kind: WeChatErrorKind.Unauthorized } api =>
            new SendOutcome.ChannelDown($"{Code(api)}: the Official Account may not call {api.Path}; unverified accounts cannot push, set WeChat__PushMode to OnNextMessage"),
        WeChatApiException { Kind: WeChatErrorKind.IpNotAllowed } api =>
            new SendOutcome.ChannelDown($"{Code(api)}: this server's IP address is not on the Official Account's IP allow-list (IP白名单)"),
        WeChatApiException { Kind: WeChatErrorKind.TokenInvalid } api =>
            new SendOutcome.ChannelDown($"{Code(api)}: WeChat refuses the access token even after a refresh; check WeChat__AppId and WeChat__AppSecret"),
        WeChatApiException { IsRetryable: true } api => new SendOutcome.Transient($"{Code(api)}: {api.ErrorMessage}"),
        WeChatApiException api => new SendOutcome.Failed($"{Code(api)}: {api.ErrorMessage}"),
        WeChatTransportException { MayHaveArrived: true } transport => new SendOutcome.Ambiguous(transport.Message),
        WeChatTransportException { IsRetryable: true } transport => new SendOutcome.Transient(transport.Message),
        _ => new SendOutcome.Failed(error.Message),
    };

    /// <summary>One line for the log: the errcode with what it means and what to do, never a credential.</summary>
    public static string Describe(WeChatException error) => error switch
    {
        WeChatApiException { Kind: WeChatErrorKind.IpNotAllowed } api =>
            $"{Code(api)} at {api.Path}: add this server's outgoing IP address to the IP allow-list (IP白名单) in the Official Account's basic configuration",
        WeChatApiException { Kind: WeChatErrorKind.Unauthorized } api =>
            $"{Code(api)} at {api.Path}: the account lacks this API's permission (unverified accounts cannot use it)",
        WeChatApiException api => $"{Code(api)} ({api.Kind}) at {api.Path}: {api.ErrorMessage}",
        _ => error.Message,
    };

    private static string Code(WeChatApiException api) => string.Create(CultureInfo.InvariantCulture, $"errcode {api.ErrorCode}");

    private static TimeSpan UntilBeijingMidnight(DateTimeOffset now)
    {
        var local = now.ToOffset(Beijing);
        var midnight = new DateTimeOffset(local.Date.AddDays(1), Beijing);
        return midnight - now;
    }
}
