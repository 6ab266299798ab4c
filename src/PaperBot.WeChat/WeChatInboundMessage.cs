// Every push to the callback URL (接收普通消息, 接收事件推送) shares these four fields.
// Tencent retries a push it got no answer to within 5 seconds, up to three times; the
// documented de-duplication key is MsgId for user messages and FromUserName + CreateTime for events.
// For events we add the event type and its key: two menu taps by one user within the same second are
// two events (CreateTime counts seconds), and each gets its answer.
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

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
    /// <summary>Receipts keep at most this many characters of a key; a longer event key (a menu's URL) is hashed.</summary>
    public const int MaxKeyLength = 128;

    public override string DeduplicationKey
    {
        get
        {
            var key = $"{SenderAndTimeKey()}:{Event}:{KeyOfEvent}";
            return key.Length <= MaxKeyLength
                ? key
                : $"{SenderAndTimeKey()}:{Event}:{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(KeyOfEvent ?? "")))[..32]}";
        }
    }

    /// <summary>What the event is about beyond its type: the menu key, the QR scene, the URL.</summary>
    protected virtual string? KeyOfEvent => null;
}
