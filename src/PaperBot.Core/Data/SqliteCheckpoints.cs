using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace PaperBot.Core.Data;

/// <summary>
/// Copies SQLite's write-ahead log back into the database every few seconds from its own connection (a passive
/// checkpoint: it waits for no one), instead of letting whichever commit crosses 1,000 pages do it on the spot.
/// </summary>
public sealed class SqliteCheckpoints(IServiceScopeFactory scopes, TimeProvider clock, ILogger<SqliteCheckpoints> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(Interval, clock, stoppingToken);
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<PaperBotDbContext>();
                // A thread of its own: SQLite works synchronously, and the checkpoint must not hold a pool thread the senders need.
                await Task.Factory.StartNew(
                    () => db.Database.ExecuteSqlRaw("PRAGMA wal_checkpoint(PASSIVE);"),
                    stoppingToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception error)
            {
                logger.LogWarning(error, "storage: unable to checkpoint the SQLite write-ahead log");
            }
        }
    }
}
