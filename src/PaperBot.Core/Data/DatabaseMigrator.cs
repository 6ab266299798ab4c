using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Logging;

namespace PaperBot.Core.Data;

public sealed class DatabaseMigrator(PaperBotDbContext db, StorageDialect dialect, ILogger<DatabaseMigrator> logger)
{
    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await dialect.PrepareAsync(db, cancellationToken);

        // Asking for the applied migrations of a new database makes EF log a failed query; look for the table first.
        var history = db.GetService<IHistoryRepository>();
        var applied = await history.ExistsAsync(cancellationToken)
            ? (await history.GetAppliedMigrationsAsync(cancellationToken)).Select(m => m.MigrationId).ToHashSet()
            : [];
        var pending = db.Database.GetMigrations().Where(m => !applied.Contains(m)).ToList();
        if (pending.Count > 0)
        {
            logger.LogInformation("storage: applying {MigrationCount} migrations ({Migrations})", pending.Count, string.Join(", ", pending));
            await db.Database.MigrateAsync(cancellationToken);
        }
    }
}
