using System.Globalization;
using Microsoft.Data.Sqlite;

namespace PaperBot.Tests.Delivery;

/// <summary>Active Telegram subscribers written straight into a SQLite database, as an audience for a push.</summary>
public static class SubscriberSeed
{
    public static async Task InsertAsync(string databasePath, long firstChatId, int count)
    {
        await using var connection = new SqliteConnection($"Data Source={databasePath};Default Timeout=30");
        await connection.OpenAsync();
        await using var transaction = connection.BeginTransaction();
        var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO "Subscribers" ("Channel", "ChatId", "UserId", "Kind", "Language", "LanguageChosen", "Status", "CreatedAt", "LastSeenAt", "SubscribedAt")
            VALUES ('Telegram', $chat, $chat, 'Private', 'zh', 0, 'Active', $now, $now, $now)
            """;
        var chat = command.Parameters.Add("$chat", SqliteType.Text);
        command.Parameters.AddWithValue("$now", DateTimeOffset.UtcNow.UtcTicks);
        for (var i = 0; i < count; i++)
        {
            chat.Value = (firstChatId + i).ToString(CultureInfo.InvariantCulture);
            await command.ExecuteNonQueryAsync();
        }

        await transaction.CommitAsync();
    }
}
