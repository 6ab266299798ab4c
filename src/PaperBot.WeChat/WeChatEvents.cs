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
