using PaperBot.Core.Commands;
using PaperBot.Core.Subscribers;
using PaperBot.WeChat;

namespace PaperBot.Channels.WeChat;

/// <summary>What the bot does with one push from WeChat.</summary>
public abstract record WeChatAction
{
    /// <summary>Run the command engine on this text, as if the user had typed it.</summary>
    public sealed record Command(string Text) : WeChatAction;

    /// <summary>The user unfollowed: stop pushes; nothing can be sent to them any more.</summary>
    public sealed record Unsubscribe : WeChatAction;

    /// <summary>A picture, a voice note without recognition, a location…: a short hint that the bot reads text.</summary>
    public sealed record Hint : WeChatAction;

    /// <summary>Tencent's report on a mass send (MASSSENDJOBFINISH).</summary>
    public sealed record MassSendReport(MassSendJobFinishEvent Report) : WeChatAction;

    /// <summary>A publishing job finished (PUBLISHJOBFINISH): the article's address, or why it was not published.</summary>
    public sealed record PublishReport(WeChatPublishJob Job) : WeChatAction;

    /// <summary>Nothing to answer: a menu link opened, an event the bot does not use.</summary>
    public sealed record Ignore : WeChatAction;
}

/// <summary>Turns WeChat's messages and events into what the channel-neutral command engine understands.</summary>
public static class WeChatInbound
{
    private static readonly char[] SpokenPunctuation = ['\u3002', '\uFF01', '\uFF1F', '\uFF0C', '.', '!', '?', ',', ' '];

    public static WeChatAction Classify(WeChatInboundMessage message) => message switch
    {
        TextMessage text when IsPlaceholder(text.Content) => new WeChatAction.Hint(),
        TextMessage text => new WeChatAction.Command(text.Content),
        // Speech recognition ends its sentences with a full stop: "最新。".
        VoiceMessage { Recognition: { } spoken } when spoken.Trim(SpokenPunctuation).Length > 0 => new WeChatAction.Command(spoken.Trim(SpokenPunctuation)),
        // A follow by scanning a parameterised QR code carries qrscene_<payload>: the same payloads as Telegram's /start links.
        SubscribeEvent { SceneValue: { Length: > 0 } scene } => new WeChatAction.Command($"/start {scene}"),
        SubscribeEvent => new WeChatAction.Command("/start"),
        ScanEvent scan when DeepLink(scan.SceneValue) is { } opened => new WeChatAction.Command(opened),
        // A click button's key is a command word the parser knows: latest, issues, topics, help…
        ClickEvent click => new WeChatAction.Command(click.EventKey),
        UnsubscribeEvent => new WeChatAction.Unsubscribe(),
        MassSendJobFinishEvent report => new WeChatAction.MassSendReport(report),
        PublishJobFinishEvent published => new WeChatAction.PublishReport(published.Job),
        WeChatUserMessage or UnknownMessage => new WeChatAction.Hint(),
        _ => new WeChatAction.Ignore(),
    };

    /// <summary>
    /// What WeChat sends as a text message in place of one it does not pass on (a sticker, a 视频号 card…):
    /// 【收到不支持的消息类型，暂无法显示】, older clients' [收到不支持的消息类型,暂时无法显示], English clients' [Unsupported Message].
    /// </summary>
    private static bool IsPlaceholder(string content)
    {
        var inner = content.Trim().TrimStart('【', '[').TrimEnd('】', ']').Trim();
        return inner.StartsWith("收到不支持的消息类型", StringComparison.Ordinal) || inner.Equals("Unsupported Message", StringComparison.OrdinalIgnoreCase);
    }

    public static InboundMessage ToInbound(string openId, string? text) => new(Channel.WeChat, openId, openId, text);

    /// <summary>A follower who scans a paper's QR code again: <c>paper_4</c> opens paper 4, <c>paper_3_4</c> paper 4 of issue 3.</summary>
    private static string? DeepLink(string scene) => scene.Split('_') switch
    {
        ["paper", var number] when CommandParser.TryParseNumber(number, out _) => $"/paper {number}",
        ["paper", var issue, var number] when CommandParser.TryParseNumber(issue, out _) && CommandParser.TryParseNumber(number, out _) => $"/paper {number} {issue}",
        _ => null,
    };
}
