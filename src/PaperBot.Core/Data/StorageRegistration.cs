using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using PaperBot.Core.Configuration;

namespace PaperBot.Core.Data;

public static class StorageRegistration
{
    public const string ConnectionStringName = "PaperBot";

    /// <summary>The database: its <see cref="StorageDialect"/>, chosen here once, and the context it configures.</summary>
    public static IHostApplicationBuilder AddPaperBotStorage(this IHostApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<StorageOptions>(StorageOptions.Section);
        var dialect = Dialect(builder.Configuration);
        builder.Services.AddSingleton(dialect);
        dialect.AddDbContext(builder.Services);
        builder.Services.AddScoped<DatabaseMigrator>();
        return builder;
    }

    /// <summary>The database's background work, for the host (a command-line verb runs none).</summary>
    public static IHostApplicationBuilder AddStorageMaintenance(this IHostApplicationBuilder builder)
    {
        Dialect(builder.Configuration).AddMaintenance(builder.Services);
        return builder;
    }

    /// <summary>Read before the container exists, for registrations that depend on it; the same every time it is asked.</summary>
    public static StorageDialect Dialect(IConfiguration configuration)
    {
        var storage = configuration.GetSection(StorageOptions.Section).Get<StorageOptions>() ?? new StorageOptions();
        var connectionString = configuration.GetConnectionString(ConnectionStringName);
        if (string.IsNullOrWhiteSpace(connectionString))
            throw new ConfigurationException("ConnectionStrings:PaperBot is empty; set it to a SQLite or PostgreSQL connection string");
        return StorageDialect.For(storage, connectionString);
    }
}
