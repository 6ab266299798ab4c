// Categories of the errcodes we act on, from 全局返回码 and the 客服消息 / 群发 pages.
namespace PaperBot.WeChat;

public enum WeChatErrorKind
{
    Other,

    /// <summary>-1 系统繁忙: try again later.</summary>
    SystemBusy,

    /// <summary>40001 invalid credential, 40014 invalid access_token, 42001 access_token expired.</summary>
    TokenInvalid,

    /// <summary>40003 invalid openid: not a follower of this account, or another account's OpenID.</summary>
    InvalidOpenId,

    /// <summary>43004 需要接收者关注: the recipient does not follow the account (any more).</summary>
    RecipientNotSubscribed,

    /// <summary>43019 需要将接收者从黑名单中移除: the account blocked the recipient.</summary>
    RecipientBlocked,

    /// <summary>45009 reach max api daily quota limit: the API's daily quota is used up.</summary>
    QuotaExceeded,

    /// <summary>45011 api minute-quota reach limit, must slower, retry next minute.</summary>
    RateLimited,

    /// <summary>
    /// 45015 response out of time limit or subscription is canceled: a customer-service message
    /// outside the 48 hours after the user's last interaction, or to a user who unfollowed.
    /// </summary>
    OutsideReplyWindow,

    /// <summary>
    /// 45047 out of response count limit: the account sent the user 20 customer-service messages
    /// since the user's last interaction; waiting does not help, only the user's next interaction.
    /// </summary>
    ResponseCountLimit,

    /// <summary>48001 api unauthorized: the account lacks this API's permission.</summary>
    Unauthorized,

    /// <summary>45065 clientmsgid exist: a mass send with this clientmsgid was already made (within 24 hours) — this one is a repeat.</summary>
    AlreadySent,

    /// <summary>45066 相同 clientmsgid 重试速度过快: the same clientmsgid again within a minute; try after one.</summary>
    RepeatTooSoon,

    /// <summary>45028 has no masssend quota: the account's mass sends for the period are used up.</summary>
    MassSendQuotaExceeded,

    /// <summary>40013 invalid appid, 40125 invalid appsecret: /cgi-bin/token refuses the account's credentials (a secret reset on the platform).</summary>
    CredentialsInvalid,

    /// <summary>40164 invalid ip, not in whitelist: this server's address is not on the account's IP allow-list.</summary>
    IpNotAllowed,

    /// <summary>
    /// 48004 api 禁止调用 (api forbidden for irregularities), 50002 用户受限 (user limited): the platform banned the
    /// account's API use after a violation; every call fails alike until the ban is lifted (the notice is on mp.weixin.qq.com).
    /// </summary>
    AccountBanned,
}

internal static class WeChatErrorKinds
{
    public static WeChatErrorKind FromCode(int errorCode) => errorCode switch
    {
        -1 => WeChatErrorKind.SystemBusy,
        40001 or 40014 or 42001 => WeChatErrorKind.TokenInvalid,
        40003 => WeChatErrorKind.InvalidOpenId,
        43004 => WeChatErrorKind.RecipientNotSubscribed,
        43019 => WeChatErrorKind.RecipientBlocked,
        45009 => WeChatErrorKind.QuotaExceeded,
        45011 => WeChatErrorKind.RateLimited,
        45015 => WeChatErrorKind.OutsideReplyWindow,
        45047 => WeChatErrorKind.ResponseCountLimit,
        48001 => WeChatErrorKind.Unauthorized,
        45065 => WeChatErrorKind.AlreadySent,
        45066 => WeChatErrorKind.RepeatTooSoon,
        45028 => WeChatErrorKind.MassSendQuotaExceeded,
        40013 or 40125 => WeChatErrorKind.CredentialsInvalid,
        40164 => WeChatErrorKind.IpNotAllowed,
        48004 or 50002 => WeChatErrorKind.AccountBanned,
        _ => WeChatErrorKind.Other,
    };

    public static bool IsRetryable(WeChatErrorKind kind) =>
        kind is WeChatErrorKind.SystemBusy or WeChatErrorKind.RateLimited or WeChatErrorKind.TokenInvalid;

    public static bool SaysNothingWasDone(WeChatErrorKind kind) =>
        kind is not (WeChatErrorKind.SystemBusy or WeChatErrorKind.RepeatTooSoon or WeChatErrorKind.AlreadySent);
}
