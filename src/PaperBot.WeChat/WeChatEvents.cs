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

/// <summary>An event this library does not model; the top-level fields are kept as text.</summary>
public sealed record UnknownEvent(WeChatMessageHeader Header, string Event, IReadOnlyDictionary<string, string> Fields)
    : WeChatEvent(Header, Event)
{
    protected override string? KeyOfEvent => Fields.TryGetValue("EventKey", out var key) ? key : null;
}
