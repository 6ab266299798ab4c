using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace PaperBot.Core.Data;

public sealed class DatabaseMigrator(PaperBotDbContext db, ILogger<DatabaseMigrator> logger)
{
    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        if (db.Database.IsSqlite())
        {
            // WAL lets readers (the web archive) proceed while the delivery worker writes; the mode is stored in the file.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode = WAL;", cancellationToken);
        }

        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        if (pending.Count > 0)
        {
            logger.LogInformation("storage: applying {MigrationCount} migrations ({Migrations})", pending.Count, string.Join(", ", pending));
            await db.Database.MigrateAsync(cancellationToken);
        }
    }
}
