using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;

namespace PaperBot.TestServices;

/// <summary>
/// Watches one connection's statements for a lock-order test on PostgreSQL: counts those aborted in a deadlock (40P01),
/// and, given <paramref name="pauseAfter"/>, holds the transaction once the first statement it picks has run, until
/// <see cref="Resume"/>, so another connection can be run against the locks it holds.
/// </summary>
public sealed class DeadlockProbe(Func<DbCommand, bool>? pauseAfter = null) : DbCommandInterceptor
{
    private readonly TaskCompletionSource paused = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource resumed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int deadlocks;

    public Task Paused => paused.Task;

    public int Deadlocks => deadlocks;

    public void Resume() => resumed.TrySetResult();

    /// <summary>Whether a session on the database of <paramref name="connectionString"/> is waiting for a lock.</summary>
    public static async Task<bool> SomeoneWaitsForALockAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'", connection);
        return (long)(await command.ExecuteScalarAsync())! > 0;
    }

    public override async ValueTask<int> NonQueryExecutedAsync(DbCommand command, CommandExecutedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        await HoldAfterAsync(command);
        return result;
    }

    public override async ValueTask<DbDataReader> ReaderExecutedAsync(DbCommand command, CommandExecutedEventData eventData, DbDataReader result, CancellationToken cancellationToken = default)
    {
        await HoldAfterAsync(command);
        return result;
    }

    public override Task CommandFailedAsync(DbCommand command, CommandErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        if (eventData.Exception is PostgresException { SqlState: PostgresErrorCodes.DeadlockDetected })
            Interlocked.Increment(ref deadlocks);
        return Task.CompletedTask;
    }

    private Task HoldAfterAsync(DbCommand command) =>
        pauseAfter is not null && pauseAfter(command) && paused.TrySetResult() ? resumed.Task : Task.CompletedTask;
}
