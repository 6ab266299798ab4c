using System.Globalization;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace PaperBot.Tests.Sending;

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

    public static async Task InsertPostgresAsync(string connectionString, long firstChatId, int count)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            INSERT INTO "Subscribers" ("Channel", "ChatId", "UserId", "Kind", "Language", "LanguageChosen", "Status", "CreatedAt", "LastSeenAt", "SubscribedAt")
            SELECT 'Telegram', ($1 + n)::text, ($1 + n)::text, 'Private', 'zh', false, 'Active', now(), now(), now() FROM generate_series(0, $2 - 1) AS n
            """, connection);
        command.Parameters.AddWithValue(firstChatId);
        command.Parameters.AddWithValue(count);
        await command.ExecuteNonQueryAsync();
    }
}
