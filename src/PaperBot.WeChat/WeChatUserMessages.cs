using System.Globalization;

namespace PaperBot.WeChat;

public sealed record TextMessage(WeChatMessageHeader Header, long MsgId, string Content)
    : WeChatUserMessage(Header, MsgId);

public sealed record ImageMessage(WeChatMessageHeader Header, long MsgId, string PicUrl, string MediaId)
    : WeChatUserMessage(Header, MsgId);

/// <summary>Recognition is the speech-to-text result, present only when the account enabled recognition.</summary>
public sealed record VoiceMessage(WeChatMessageHeader Header, long MsgId, string MediaId, string Format, string? Recognition)
    : WeChatUserMessage(Header, MsgId);

/// <summary>MsgType <c>video</c> or <c>shortvideo</c>; <see cref="WeChatInboundMessage.MsgType"/> tells which.</summary>
public sealed record VideoMessage(WeChatMessageHeader Header, long MsgId, string MediaId, string ThumbMediaId)
    : WeChatUserMessage(Header, MsgId);

/// <summary>Latitude is Tencent's Location_X, Longitude its Location_Y.</summary>
public sealed record LocationMessage(
    WeChatMessageHeader Header, long MsgId, double Latitude, double Longitude, int Scale, string Label)
    : WeChatUserMessage(Header, MsgId);

public sealed record LinkMessage(WeChatMessageHeader Header, long MsgId, string Title, string Description, string Url)
    : WeChatUserMessage(Header, MsgId);

/// <summary>A MsgType this library does not model; the top-level fields are kept as text.</summary>
public sealed record UnknownMessage(WeChatMessageHeader Header, long? MsgId, IReadOnlyDictionary<string, string> Fields)
    : WeChatInboundMessage(Header)
{
    public override string DeduplicationKey =>
        MsgId?.ToString(CultureInfo.InvariantCulture) ?? SenderAndTimeKey();
}
