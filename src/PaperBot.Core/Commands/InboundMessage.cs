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
    /// <summary>The web console sets this when the browser also holds an admin session.</summary>
    public bool HasAdminSession { get; init; }

    /// <summary>Telegram's @username of this bot, so that "/paper@OtherBot 4" in a group is left alone.</summary>
    public string? BotUsername { get; init; }
}
