using System.Globalization;
using Npgsql;

namespace PaperBot.Bench;

public sealed record Throughput(int Subscribers, TimeSpan Queued, double MessagesPerSecond, TimeSpan Sending, double PeakMiB, int Sent, int Failed);

public sealed record Paced(int Recipients, double Configured, int TelegramLimit, double Achieved, int Rejected, TimeSpan Span)
{
    public double Ratio => Achieved / Configured;
}

public sealed record ProviderResult(string Provider, Throughput Throughput, Paced Paced);

public sealed record BenchOptions(int Subscribers, int PacedRecipients, string? Postgres, string Output)
{
    public static BenchOptions Parse(string[] args)
    {
        string? Value(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
        return new BenchOptions(
            int.Parse(Value("--subscribers") ?? "100000", CultureInfo.InvariantCulture),
            int.Parse(Value("--paced") ?? "750", CultureInfo.InvariantCulture),
            Value("--postgres") ?? System.Environment.GetEnvironmentVariable("PAPERBOT_BENCH_POSTGRES"),
            Value("--out") ?? "docs/benchmarks.md");
    }

    /// <summary>SQLite always; PostgreSQL when a server is given (a fresh database per run, dropped afterwards).</summary>
    public IEnumerable<(string Provider, Func<string, Task<(string Connection, Func<Task> Drop)>> ConnectionFor)> Providers()
    {
        yield return ("Sqlite", name =>
        {
            var directory = Directory.CreateTempSubdirectory($"paperbot-bench-{name}-").FullName;
            return Task.FromResult(($"Data Source={Path.Combine(directory, "paperbot.db")}", (Func<Task>)(() =>
            {
                Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
                Directory.Delete(directory, recursive: true);
                return Task.CompletedTask;
            })));
        });
        if (Postgres is { } server)
        {
            yield return ("Postgres", async name =>
            {
                var database = $"paperbot_bench_{name}_{Guid.NewGuid():N}"[..40];
                await using (var admin = new NpgsqlConnection(server))
                {
                    await admin.OpenAsync();
                    await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database}\"", admin);
                    await create.ExecuteNonQueryAsync();
                }

                var connection = new NpgsqlConnectionStringBuilder(server) { Database = database }.ConnectionString;
                return (connection, async () =>
                {
                    NpgsqlConnection.ClearAllPools();
                    await using var admin = new NpgsqlConnection(server);
                    await admin.OpenAsync();
                    await using var dropDatabase = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)", admin);
                    await dropDatabase.ExecuteNonQueryAsync();
                });
            });
        }
    }
}
