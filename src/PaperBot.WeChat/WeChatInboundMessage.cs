// Every push to the callback URL (接收普通消息, 接收事件推送) shares these four fields.
// Tencent retries a push it got no answer to within 5 seconds, up to three times; the
// documented de-duplication key is MsgId for user messages and FromUserName + CreateTime for events.
using System.Globalization;

namespace PaperBot.WeChat;

/// <summary>ToUserName is our account's original ID (gh_…); FromUserName is the sender's OpenID.</summary>
public sealed record WeChatMessageHeader(string ToUserName, string FromUserName, DateTimeOffset CreateTime, string MsgType);

public abstract record WeChatInboundMessage(WeChatMessageHeader Header)
{
    public string ToUserName => Header.ToUserName;

    public string FromUserName => Header.FromUserName;

    public DateTimeOffset CreateTime => Header.CreateTime;

    public string MsgType => Header.MsgType;

    public abstract string DeduplicationKey { get; }

    private protected string SenderAndTimeKey() =>
        string.Create(CultureInfo.InvariantCulture, $"{FromUserName}:{CreateTime.ToUnixTimeSeconds()}");
}

/// <summary>Something a user sent; it carries a 64-bit MsgId.</summary>
public abstract record WeChatUserMessage(WeChatMessageHeader Header, long MsgId) : WeChatInboundMessage(Header)
{
    public override string DeduplicationKey => MsgId.ToString(CultureInfo.InvariantCulture);
}

/// <summary>A push with MsgType <c>event</c>; events carry no MsgId.</summary>
public abstract record WeChatEvent(WeChatMessageHeader Header, string Event) : WeChatInboundMessage(Header)
{
    public override string DeduplicationKey => SenderAndTimeKey();
}
