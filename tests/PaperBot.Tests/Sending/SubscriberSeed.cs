using System.Globalization;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace PaperBot.Tests.Sending;

/// <summary>Active Telegram subscribers written straight into the database, as an audience for a push, and the chats it has recorded as sent.</summary>
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

    /// <summary>The chats whose delivery the database records as sent, read straight from the tables.</summary>
    public static async Task<HashSet<string>> SentChatsAsync(string databasePath)
    {
        await using var connection = new SqliteConnection($"Data Source={databasePath};Default Timeout=30");
        await connection.OpenAsync();
        var command = connection.CreateCommand();
        command.CommandText = SentChatsSql;
        return await ReadChatsAsync(await command.ExecuteReaderAsync());
    }

    public static async Task<HashSet<string>> SentChatsPostgresAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(SentChatsSql, connection);
        return await ReadChatsAsync(await command.ExecuteReaderAsync());
    }

    private const string SentChatsSql = """
        SELECT s."ChatId" FROM "Deliveries" d JOIN "Subscribers" s ON s."Id" = d."SubscriberId" WHERE d."Status" = 'Sent'
        """;

    private static async Task<HashSet<string>> ReadChatsAsync(System.Data.Common.DbDataReader reader)
    {
        await using (reader)
        {
            var chats = new HashSet<string>();
            while (await reader.ReadAsync())
                chats.Add(reader.GetString(0));
            return chats;
        }
    }
}
