using System.Globalization;
using PaperBot.Core.Sending;
using PaperBot.WeChat;

namespace PaperBot.Channels.WeChat;

/// <summary>
/// What a WeChat API error means — as a channel-neutral <see cref="SendOutcome"/> for a push, and in plain words for an
/// admin — the only place the channel reads errcodes (全局返回码, 客服消息, 群发, 草稿箱, 发布能力, 素材管理): the
/// recipient is gone, outside the 48-hour window, the account has no right or quota, or the call may be tried again.
/// </summary>
public static class WeChatErrors
{
    public const int InvalidMediaId = 40007;

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
        WeChatApiException { Kind: WeChatErrorKind.AccountBanned } api =>
            new SendOutcome.ChannelDown($"{Code(api)}: WeChat has banned this Official Account's use of {api.Path}; the notice and the appeal are on mp.weixin.qq.com, and pushes wait until the ban is lifted"),
        WeChatApiException { Kind: WeChatErrorKind.CredentialsInvalid } api =>
            new SendOutcome.ChannelDown($"{Code(api)}: WeChat gives no access token for this account's credentials (a secret reset on the platform?); check WeChat__AppId and WeChat__AppSecret"),
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

    /// <summary>
    /// An article step's failure in words an admin can act on: what WeChat refused and what to do about it. Shown on the
    /// admin page and by the article verb, and kept with the article.
    /// </summary>
    public static string ForAdmin(WeChatException error) => error switch
    {
        WeChatApiException { Kind: WeChatErrorKind.Unauthorized } api =>
            $"{Code(api)}: this account has no API right for {What(api.Path)} (unverified accounts have none for drafts and publishing) — use “Copy for the WeChat editor” and paste the article into the platform's editor",
        WeChatApiException { Kind: WeChatErrorKind.CredentialsInvalid } api =>
            $"{Code(api)}: WeChat gives no access token for this account's credentials; check WeChat__AppId and WeChat__AppSecret (开发者密码, reset on the platform?)",
        WeChatApiException { Kind: WeChatErrorKind.QuotaExceeded } api =>
            $"{Code(api)}: the daily quota of {What(api.Path)} is used up; try again after midnight Beijing time",
        WeChatApiException { Kind: WeChatErrorKind.RateLimited } api =>
            $"{Code(api)}: too many calls to {What(api.Path)} this minute; try again in a minute",
        WeChatApiException { ErrorCode: InvalidMediaId } api =>
            $"{Code(api)}: WeChat does not know the media_id sent to {What(api.Path)} (the draft or the cover was deleted on the platform, or the draft was already published); send the article to drafts again",
        WeChatApiException { ErrorCode: 45028 } api =>
            $"{Code(api)}: no mass send left (a subscription account has 1 a day, a service account 4 a month); publish it later",
        WeChatApiException { ErrorCode: 45066 } api =>
            $"{Code(api)}: the same mass send was repeated too quickly; WeChat asks to wait a minute",
        WeChatApiException { ErrorCode: 45067 } api =>
            $"{Code(api)}: the clientmsgid is longer than 64 bytes",
        WeChatApiException { ErrorCode: 45002 } api =>
            $"{Code(api)}: the article is too long for WeChat (fewer than 20,000 characters and 1 MB); shorten the summaries",
        WeChatApiException { ErrorCode: 45003 } api =>
            $"{Code(api)}: the title is too long for WeChat (at most 32 characters)",
        WeChatApiException { ErrorCode: 45004 } api =>
            $"{Code(api)}: the digest is too long for WeChat (at most 128 characters)",
        WeChatApiException { ErrorCode: 45110 } api =>
            $"{Code(api)}: WeChat__Article__Author is too long for WeChat (at most 16 characters)",
        WeChatApiException { ErrorCode: 40004 or 40005 or 40006 or 40009 or 41005 or 45001 or 40113 } api =>
            $"{Code(api)}: WeChat refused the cover image ({api.ErrorMessage}); a cover must be PNG or JPEG, under 1 MB — check WeChat__Article__Cover",
        WeChatApiException { ErrorCode: 53503 } api =>
            $"{Code(api)}: the draft did not pass WeChat's publishing check (该草稿未通过发布检查); open it in the platform's draft box",
        WeChatApiException { ErrorCode: 53504 } api =>
            $"{Code(api)}: WeChat wants this draft published on the platform's website (需前往公众平台官网使用草稿)",
        WeChatApiException { ErrorCode: 53505 } api =>
            $"{Code(api)}: save the draft once by hand on the platform's website, then publish it (请手动保存成功后再发表)",
        WeChatApiException { Kind: WeChatErrorKind.SystemBusy } api =>
            $"{Code(api)}: WeChat is busy; try again in a moment",
        WeChatTransportException { IsRetryable: true } transport =>
            $"WeChat did not answer ({transport.Message}); trying again is safe: a repeated mass send is recognised and not sent twice",
        _ => Describe(error),
    };

    /// <summary>What a failed article step means for the deliveries of its push: as <see cref="Outcome"/>, with the admin's words.</summary>
    public static SendOutcome ForArticlePush(WeChatException error, DateTimeOffset now) => Outcome(error, now) switch
    {
        SendOutcome.RetryAfter retry => retry with { Reason = ForAdmin(error) },
        SendOutcome.ChannelDown => new SendOutcome.ChannelDown(ForAdmin(error)),
        SendOutcome.Failed or SendOutcome.ChatGone or SendOutcome.Deferred => new SendOutcome.Failed(ForAdmin(error)),
        var outcome => outcome,
    };

    private static string What(string path) => path switch
    {
        "/cgi-bin/material/add_material" => "uploading the cover (material/add_material)",
        "/cgi-bin/media/uploadimg" => "images in articles (media/uploadimg)",
        "/cgi-bin/draft/add" => "drafts (draft/add)",
        "/cgi-bin/draft/update" => "drafts (draft/update)",
        "/cgi-bin/freepublish/submit" => "publishing (freepublish/submit)",
        "/cgi-bin/freepublish/get" => "publishing (freepublish/get)",
        "/cgi-bin/message/mass/sendall" => "mass sends to all followers (message/mass/sendall)",
        _ => path,
    };

    private static string Code(WeChatApiException api) => string.Create(CultureInfo.InvariantCulture, $"errcode {api.ErrorCode}");

    private static TimeSpan UntilBeijingMidnight(DateTimeOffset now)
    {
        var local = now.ToOffset(Beijing);
        var midnight = new DateTimeOffset(local.Date.AddDays(1), Beijing);
        return midnight - now;
    }
}
