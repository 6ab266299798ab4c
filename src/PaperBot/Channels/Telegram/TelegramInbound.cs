using System.Globalization;
using PaperBot.Core.Commands;
using PaperBot.Core.Subscribers;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;

namespace PaperBot.Channels.Telegram;

/// <summary>Telegram's messages and button presses as the command engine's <see cref="InboundMessage"/>.</summary>
public static class TelegramInbound
{
    /// <summary>The updates the bot asks for, in polling and webhook mode alike.</summary>
    public static readonly UpdateType[] AllowedUpdates = [UpdateType.Message, UpdateType.CallbackQuery, UpdateType.MyChatMember];

    public static InboundMessage FromText(Message message, string? botUsername) =>
        new(Channel.Telegram, UserOf(message), Id(message.Chat.Id), message.Text, null,
            KindOf(message.Chat.Type), message.From?.LanguageCode, DisplayName(message.From, message.Chat))
        {
            BotUsername = botUsername,
            InForum = message.Chat.IsForum,
            ThreadId = TopicOf(message),
        };

    public static InboundMessage FromButton(CallbackQuery query, Message message, string? botUsername) =>
        new(Channel.Telegram, Id(query.From.Id), Id(message.Chat.Id), null, query.Data,
            KindOf(message.Chat.Type), query.From.LanguageCode, DisplayName(query.From, message.Chat))
        {
            BotUsername = botUsername,
            InForum = message.Chat.IsForum,
            ThreadId = TopicOf(message),
        };

    /// <summary>
    /// The forum topic a message is in. A reply in General (or in any group) carries a message_thread_id too, naming the
    /// message replied to, which is no topic; only is_topic_message says the message is in one.
    /// </summary>
    public static int? TopicOf(Message message) =>
        message.Chat.IsForum && message.IsTopicMessage ? message.MessageThreadId : null;

    public static ChatKind KindOf(ChatType type) => type switch
    {
        ChatType.Private => ChatKind.Private,
        ChatType.Channel => ChatKind.Channel,
        _ => ChatKind.Group,
    };

    public static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// Channel posts have no user, and an anonymous group administrator writes as the group itself (sender_chat is the
    /// chat; from is Telegram's GroupAnonymousBot): the chat stands in for them.
    /// </summary>
    private static string UserOf(Message message) =>
        Id(message.SenderChat is { } sender && sender.Id == message.Chat.Id ? sender.Id : message.From?.Id ?? message.Chat.Id);

    /// <summary>A group is named by its title; a person by their name, or @username when they gave none.</summary>
    private static string? DisplayName(User? from, Chat chat)
    {
        if (chat.Type != ChatType.Private)
            return chat.Title;
        var name = string.Join(' ', new[] { from?.FirstName, from?.LastName }.Where(n => !string.IsNullOrWhiteSpace(n)));
        return name.Length > 0 ? name : from?.Username is { } username ? "@" + username : null;
    }
}
