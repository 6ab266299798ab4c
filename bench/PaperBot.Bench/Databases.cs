using Microsoft.Data.Sqlite;
using Npgsql;

namespace PaperBot.Bench;

/// <summary>A database for one run: its provider, connection string, and how to drop it afterwards.</summary>
public sealed class BenchDatabase(string provider, string connectionString, Func<Task> drop) : IAsyncDisposable
{
    public string Provider { get; } = provider;
    public string ConnectionString { get; } = connectionString;

    public ValueTask DisposeAsync() => new(drop());
}

/// <summary>SQLite always (a file in a new temporary folder); PostgreSQL when a server is given (a new database per run, dropped afterwards).</summary>
public sealed class Databases(string? postgres)
{
    public const string Sqlite = "Sqlite";
    public const string Postgres = "Postgres";

    /// <summary><c>--postgres "Host=…;Username=…"</c>, else PAPERBOT_BENCH_POSTGRES; a user who may create databases.</summary>
    public static Databases From(Arguments arguments)
    {
        var server = arguments.Value("--postgres") ?? Environment.GetEnvironmentVariable("PAPERBOT_BENCH_POSTGRES");
        return new Databases(string.IsNullOrWhiteSpace(server) ? null : server);
    }

    public IReadOnlyList<string> Providers => postgres is null ? [Sqlite] : [Sqlite, Postgres];

    public Task<BenchDatabase> CreateAsync(string provider, string name) => provider == Sqlite ? Task.FromResult(NewSqlite(name)) : NewPostgresAsync(name);

    private static BenchDatabase NewSqlite(string name)
    {
        var directory = Directory.CreateTempSubdirectory($"paperbot-bench-{name}-").FullName;
        return new BenchDatabase(Sqlite, $"Data Source={Path.Combine(directory, "paperbot.db")}", () =>
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
            return Task.CompletedTask;
        });
    }

    private async Task<BenchDatabase> NewPostgresAsync(string name)
    {
        var database = $"paperbot_bench_{name}_{Guid.NewGuid():N}"[..40];
        await using (var admin = new NpgsqlConnection(postgres))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database}\"", admin);
            await create.ExecuteNonQueryAsync();
        }

        var connection = new NpgsqlConnectionStringBuilder(postgres) { Database = database }.ConnectionString;
        return new BenchDatabase(Postgres, connection, async () =>
        {
            NpgsqlConnection.ClearAllPools();
            await using var admin = new NpgsqlConnection(postgres);
            await admin.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)", admin);
            await drop.ExecuteNonQueryAsync();
        });
    }
}
