namespace PaperBot.WeChat;

/// <summary>
/// A follow. EventKey and Ticket are empty for a plain follow; a follow by scanning a
/// parameterised QR code carries EventKey <c>qrscene_</c> followed by the scene value.
/// </summary>
public sealed record SubscribeEvent(WeChatMessageHeader Header, string? EventKey, string? Ticket)
    : WeChatEvent(Header, "subscribe")
{
    private const string ScenePrefix = "qrscene_";

    protected override string? KeyOfEvent => EventKey;

    public string? SceneValue =>
        EventKey is not null && EventKey.StartsWith(ScenePrefix, StringComparison.Ordinal) ? EventKey[ScenePrefix.Length..] : null;
}

public sealed record UnsubscribeEvent(WeChatMessageHeader Header) : WeChatEvent(Header, "unsubscribe");

/// <summary>A follower scanned a parameterised QR code; EventKey is the scene value itself, without prefix.</summary>
public sealed record ScanEvent(WeChatMessageHeader Header, string EventKey, string? Ticket) : WeChatEvent(Header, "SCAN")
{
    public string SceneValue => EventKey;

    protected override string? KeyOfEvent => EventKey;
}

/// <summary>A click-type menu button; EventKey is the button's key.</summary>
public sealed record ClickEvent(WeChatMessageHeader Header, string EventKey) : WeChatEvent(Header, "CLICK")
{
    protected override string? KeyOfEvent => EventKey;
}

/// <summary>A view-type menu button; Tencent sends the button's URL as EventKey.</summary>
public sealed record ViewEvent(WeChatMessageHeader Header, string Url, string? MenuId) : WeChatEvent(Header, "VIEW")
{
    protected override string? KeyOfEvent => Url;
}

/// <summary>
/// Tencent's report on a mass send (事件推送群发结果). Status is "send success", "send fail" or "err(NNNNN)";
/// for a news (mpnews) send to all followers, ArticleUrls are the published article's permanent links.
/// </summary>
public sealed record MassSendJobFinishEvent(
    WeChatMessageHeader Header, long MsgId, string Status, int? TotalCount, int? FilterCount, int? SentCount, int? ErrorCount,
    IReadOnlyList<string> ArticleUrls) : WeChatEvent(Header, "MASSSENDJOBFINISH")
{
    // Two reports in one second come from the same sender (the account's own id): the job tells them apart.
    protected override string? KeyOfEvent => MsgId.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Why the mass send went to no one, in words, when <see cref="Status"/> says so; null when it went out.</summary>
    public string? Failure => FailureOf(Status);

    /// <summary>
    /// "send fail", or "err(NNNNN)": the platform's check stopped the send (事件推送群发结果 lists the codes); null for
    /// "send success" (a few followers may still have missed it) or a status this library does not know.
    /// </summary>
    public static string? FailureOf(string status)
    {
        ArgumentNullException.ThrowIfNull(status);
        var text = status.Trim();
        if (text.Equals("send fail", StringComparison.OrdinalIgnoreCase))
            return "the mass send failed (send fail)";
        if (!text.StartsWith("err(", StringComparison.OrdinalIgnoreCase) || !text.EndsWith(')'))
            return null;
        var meaning = text[4..^1].Trim() switch
        {
            "10001" => "the platform's check suspects advertising (涉嫌广告)",
            "20001" => "the platform's check suspects political content (涉嫌政治)",
            "20002" => "the platform's check suspects pornography (涉嫌色情)",
            "20004" => "the platform's check suspects social content (涉嫌社会)",
            "20006" => "the platform's check suspects illegal or criminal content (涉嫌违法犯罪)",
            "20008" => "the platform's check suspects fraud (涉嫌欺诈)",
            "20013" => "the platform's check suspects a copyright infringement (涉嫌版权)",
            "21000" => "the platform's check objected to it (涉嫌其他)",
            "22000" => "the platform's check suspects mutual promotion (涉嫌互推)",
            "30001" => "the originality check failed with a system error, and reprints are set not to be mass-sent (原创校验出现系统错误)",
            "30002" => "the originality check ruled that it may not be mass-sent (原创校验被判定为不能群发)",
            "30003" => "the originality check judged it a reprint, and reprints are set not to be mass-sent (被判定为转载文)",
            "40001" => "an administrator of the account refused it (管理员拒绝)",
            "40002" => "no administrator of the account confirmed it within 30 minutes (管理员30分钟内无响应)",
            _ => "the platform's check stopped it",
        };
        return $"{meaning}; status {text}";
    }
}

/// <summary>A publishing job finished (发布结果的事件推送, freepublish).</summary>
public sealed record PublishJobFinishEvent(WeChatMessageHeader Header, WeChatPublishJob Job) : WeChatEvent(Header, "PUBLISHJOBFINISH")
{
    protected override string? KeyOfEvent => Job.PublishId;
}

/// <summary>An event this library does not model; the top-level fields are kept as text.</summary>
public sealed record UnknownEvent(WeChatMessageHeader Header, string Event, IReadOnlyDictionary<string, string> Fields)
    : WeChatEvent(Header, Event)
{
    protected override string? KeyOfEvent => Fields.TryGetValue("EventKey", out var key) ? key : null;
}
