using System.Text.Json.Nodes;

namespace PaperBot.Tests.Channels.Telegram;

/// <summary>Updates shaped as the Bot API documents them (core.telegram.org/bots/api#update).</summary>
public static class UpdateJson
{
    public const long GroupMember = 4242;
    private static int nextMessageId = 1;

    public static JsonObject Text(long chatId, string text, long? from = null, string? language = "en")
    {
        var message = Message(chatId, from, language);
        message["text"] = text;
        if (text.StartsWith('/'))
        {
            var command = text.Split(' ', 2)[0];
            message["entities"] = new JsonArray(new JsonObject { ["offset"] = 0, ["length"] = command.Length, ["type"] = "bot_command" });
        }

        return new JsonObject { ["message"] = message };
    }

    public static JsonObject Sticker(long chatId)
    {
        var message = Message(chatId, null, "en");
        message["sticker"] = new JsonObject
        {
            ["file_id"] = "CAACAgIAAxkBAAEBsticker",
            ["file_unique_id"] = "AgADsticker",
            ["type"] = "regular",
            ["width"] = 512,
            ["height"] = 512,
            ["is_animated"] = false,
            ["is_video"] = false,
            ["emoji"] = "👍",
        };
        return new JsonObject { ["message"] = message };
    }

    public static JsonObject Photo(long chatId)
    {
        var message = Message(chatId, null, "en");
        message["photo"] = new JsonArray(
            new JsonObject { ["file_id"] = "AgACAgIAAxkBAAEBphoto-s", ["file_unique_id"] = "AQADs", ["width"] = 90, ["height"] = 67, ["file_size"] = 1234 },
            new JsonObject { ["file_id"] = "AgACAgIAAxkBAAEBphoto-m", ["file_unique_id"] = "AQADm", ["width"] = 800, ["height"] = 600, ["file_size"] = 54321 });
        message["caption"] = "look at this";
        return new JsonObject { ["message"] = message };
    }

    /// <summary>A service message in a private chat: the reader pinned one of the bot's messages.</summary>
    public static JsonObject Pinned(long chatId, int pinnedMessageId)
    {
        var message = Message(chatId, null, "en");
        message["pinned_message"] = new JsonObject
        {
            ["message_id"] = pinnedMessageId,
            ["from"] = BotUser(),
            ["chat"] = Chat(chatId),
            ["date"] = 1_700_000_000,
            ["text"] = "a message the reader keeps on top",
        };
        return new JsonObject { ["message"] = message };
    }

    /// <summary>A press on a button under message <paramref name="messageId"/> that the bot sent to <paramref name="chatId"/>.</summary>
    public static JsonObject Button(long chatId, int messageId, string data, long? from = null, string language = "en") => new()
    {
        ["callback_query"] = new JsonObject
        {
            ["id"] = $"cq{Guid.NewGuid():N}",
            ["from"] = User(from ?? chatId, language),
            ["message"] = new JsonObject
            {
                ["message_id"] = messageId,
                ["from"] = new JsonObject { ["id"] = FakeBotApi.BotId, ["is_bot"] = true, ["first_name"] = "PaperBot Test", ["username"] = FakeBotApi.BotUsername },
                ["chat"] = Chat(chatId),
                ["date"] = 1_700_000_000,
                ["text"] = "a message with buttons",
            },
            ["chat_instance"] = "-5871204867350374201",
            ["data"] = data,
        },
    };

    public static JsonObject MyChatMember(long chatId, string newStatus) => new()
    {
        ["my_chat_member"] = new JsonObject
        {
            ["chat"] = Chat(chatId),
            ["from"] = User(chatId > 0 ? chatId : GroupMember, "en"),
            ["date"] = 1_700_000_000,
            ["old_chat_member"] = new JsonObject { ["status"] = "member", ["user"] = BotUser() },
            ["new_chat_member"] = newStatus == "kicked"
                ? new JsonObject { ["status"] = "kicked", ["user"] = BotUser(), ["until_date"] = 0 }
                : new JsonObject { ["status"] = newStatus, ["user"] = BotUser() },
        },
    };

    public static JsonObject Migrate(long groupId, long supergroupId)
    {
        var message = Message(groupId, null, "en");
        message["migrate_to_chat_id"] = supergroupId;
        return new JsonObject { ["message"] = message };
    }

    private static JsonObject Message(long chatId, long? from, string? language) => new()
    {
        ["message_id"] = Interlocked.Increment(ref nextMessageId),
        ["from"] = User(from ?? (chatId > 0 ? chatId : GroupMember), language),
        ["chat"] = Chat(chatId),
        ["date"] = 1_700_000_000,
    };

    private static JsonObject User(long id, string? language)
    {
        var user = new JsonObject { ["id"] = id, ["is_bot"] = false, ["first_name"] = "Ada", ["last_name"] = "Lovelace", ["username"] = $"reader{id}" };
        if (language is not null)
            user["language_code"] = language;
        return user;
    }

    private static JsonObject BotUser() => new() { ["id"] = FakeBotApi.BotId, ["is_bot"] = true, ["first_name"] = "PaperBot Test", ["username"] = FakeBotApi.BotUsername };

    private static JsonObject Chat(long id) =>
        id > 0 ? new JsonObject { ["id"] = id, ["type"] = "private", ["first_name"] = "Ada", ["last_name"] = "Lovelace", ["username"] = $"reader{id}" }
        : id.ToString(System.Globalization.CultureInfo.InvariantCulture).StartsWith("-100", StringComparison.Ordinal)
            ? new JsonObject { ["id"] = id, ["type"] = "supergroup", ["title"] = "Paper readers" }
            : new JsonObject { ["id"] = id, ["type"] = "group", ["title"] = "Paper readers", ["all_members_are_administrators"] = true };
}
