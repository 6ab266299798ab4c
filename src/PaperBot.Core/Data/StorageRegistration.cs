using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using PaperBot.Core.Configuration;

namespace PaperBot.Core.Data;

public static class StorageRegistration
{
    public const string ConnectionStringName = "PaperBot";

    public static IHostApplicationBuilder AddPaperBotStorage(this IHostApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<StorageOptions>(StorageOptions.Section);
        var storage = builder.Configuration.GetSection(StorageOptions.Section).Get<StorageOptions>() ?? new StorageOptions();
        var connectionString = builder.Configuration.GetConnectionString(ConnectionStringName);
        if (string.IsNullOrWhiteSpace(connectionString))
            throw new ConfigurationException("ConnectionStrings:PaperBot is empty; set it to a SQLite or PostgreSQL connection string");

        if (storage.IsPostgres)
        {
            builder.Services.AddDbContext<PaperBotDbContext, PostgresPaperBotDbContext>(options =>
                options.UseNpgsql(connectionString));
        }
        else
        {
            builder.Services.AddDbContext<PaperBotDbContext, SqlitePaperBotDbContext>(options =>
                options.UseSqlite(SqliteConnectionStrings.Prepare(connectionString))
                    .AddInterceptors(SqlitePragmas.Instance));
        }

        builder.Services.AddScoped<DatabaseMigrator>();
        return builder;
    }
}

public static class SqliteConnectionStrings
{
    /// <summary>Creates the database file's directory (data/ on first start) and returns the connection string.</summary>
    public static string Prepare(string connectionString)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        if (builder.Mode is not SqliteOpenMode.Memory && !string.IsNullOrEmpty(builder.DataSource) && builder.DataSource != ":memory:")
        {
            var directory = Path.GetDirectoryName(Path.GetFullPath(builder.DataSource));
            if (!string.IsNullOrEmpty(directory))
                Directory.CreateDirectory(directory);
        }

        return builder.ToString();
    }
}

/// <summary>
/// Per-connection SQLite settings: wait for a writer instead of failing with "database is locked"; and no checkpoint
/// inside a commit — the <see cref="SqliteCheckpoints"/> service checkpoints in the background, so a commit of the
/// sending engine never stalls on copying the write-ahead log back.
/// </summary>
internal sealed class SqlitePragmas : DbConnectionInterceptor
{
    public static readonly SqlitePragmas Instance = new();

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Apply(connection);
        return Task.CompletedTask;
    }

    private static void Apply(DbConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA busy_timeout = 10000; PRAGMA synchronous = NORMAL; PRAGMA wal_autocheckpoint = 0;";
        command.ExecuteNonQuery();
    }
}
