using PaperBot.Core.Subscribers;

namespace PaperBot.Core.Commands;

/// <summary>
/// What a channel adapter hands to the command engine: a text message or the data of a pressed button,
/// with who sent it and in which chat.
/// </summary>
public sealed record InboundMessage(
    Channel Channel,
    string UserId,
    string ChatId,
    string? Text,
    string? ButtonData = null,
    ChatKind ChatKind = ChatKind.Private,
    string? LanguageCode = null,
    string? DisplayName = null)
{
    /// <summary>
    /// The web console sets this when the browser holds an admin session and the request proves it came from the site's
    /// own page (anti-forgery token or same-origin Origin): a cookie alone does not make an admin.
    /// </summary>
    public bool HasAdminSession { get; init; }

    /// <summary>
    /// WeChat sets this when the message body itself was signed (msg_signature over the encrypted body, in compatible and
    /// safe mode). A plain-mode signature covers only the URL, so anyone who saw one could post any body under it.
    /// </summary>
    public bool BodySigned { get; init; }

    /// <summary>Telegram's @username of this bot, so that "/paper@OtherBot 4" in a group is left alone.</summary>
    public string? BotUsername { get; init; }

    /// <summary>The chat is a Telegram forum group: its messages are in topics, or in its General.</summary>
    public bool InForum { get; init; }

    /// <summary>The forum topic the message was written in (Telegram's message_thread_id); null in General and in other chats.</summary>
    public int? ThreadId { get; init; }
}
