using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PaperBot.Core;
using PaperBot.Core.Data;
using PaperBot.Core.Issues;
using PaperBot.Core.Publishing;
using PaperBot.Core.Sending;
using PaperBot.Core.Stats;
using PaperBot.Hosting;
using PaperBot.Scheduling;

namespace PaperBot.Bench;

/// <summary>The bot's database, prepared in-process with the bot's own registrations: migrated, an audience seeded, an issue imported.</summary>
public sealed class Audience : IAsyncDisposable
{
    private readonly IHost host;

    private Audience(IHost host, string provider, string connectionString)
    {
        this.host = host;
        Provider = provider;
        ConnectionString = connectionString;
    }

    public string Provider { get; }
    public string ConnectionString { get; }

    public static async Task<Audience> CreateAsync(string provider, string connectionString)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [] });
        builder.Logging.ClearProviders();
        builder.AddPaperBotConfiguration();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:Provider"] = provider,
            ["ConnectionStrings:PaperBot"] = connectionString,
            ["Samples:ImportOnFirstStart"] = "false",
            ["Arxiv:Enabled"] = "false",
        });
        builder.AddPaperBotCore();
        builder.AddPushSchedule();
        var host = builder.Build();
        await using (var scope = host.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<DatabaseMigrator>().MigrateAsync(CancellationToken.None);
        return new Audience(host, provider, connectionString);
    }

    /// <summary>The seeded subscribers' chat ids are this and up.</summary>
    public const long FirstChat = 1_000_001;

    /// <summary>Active Telegram subscribers (chats <see cref="FirstChat"/> and up) in one statement; a tenth filter on long context, a tenth on multimodal.</summary>
    public async Task SeedAsync(int subscribers)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PaperBotDbContext>();
        db.Database.SetCommandTimeout(TimeSpan.FromMinutes(5));
        if (db.Database.IsSqlite())
        {
            var now = DateTimeOffset.UtcNow.UtcTicks;
            await db.Database.ExecuteSqlRawAsync(
                """
                WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < {0})
                INSERT INTO "Subscribers" ("Channel", "ChatId", "UserId", "Kind", "Language", "LanguageChosen", "Status", "CreatedAt", "LastSeenAt", "SubscribedAt")
                SELECT 'Telegram', CAST(1000000 + n AS TEXT), CAST(1000000 + n AS TEXT), 'Private', CASE WHEN n % 3 = 0 THEN 'en' ELSE 'zh' END, 0, 'Active', {1}, {1}, {1} FROM seq
                """, subscribers, now);
        }
        else
        {
            var now = DateTimeOffset.UtcNow;
            await db.Database.ExecuteSqlRawAsync(
                """
                INSERT INTO "Subscribers" ("Channel", "ChatId", "UserId", "Kind", "Language", "LanguageChosen", "Status", "CreatedAt", "LastSeenAt", "SubscribedAt")
                SELECT 'Telegram', (1000000 + n)::text, (1000000 + n)::text, 'Private', CASE WHEN n % 3 = 0 THEN 'en' ELSE 'zh' END, false, 'Active', {1}, {1}, {1} FROM generate_series(1, {0}) AS n
                """, subscribers, now);
        }

        await db.Database.ExecuteSqlRawAsync("""INSERT INTO "SubscriberTopics" ("SubscriberId", "Topic") SELECT "Id", 'long-context' FROM "Subscribers" WHERE "Id" % 10 = 1""");
        await db.Database.ExecuteSqlRawAsync("""INSERT INTO "SubscriberTopics" ("SubscriberId", "Topic") SELECT "Id", 'multimodal' FROM "Subscribers" WHERE "Id" % 10 = 2""");
    }

    public async Task<int> ImportAsync(string variant)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "samples", "digest-sample.txt")).Replace("超越 Transformer", variant, StringComparison.Ordinal);
        var outcome = await scope.ServiceProvider.GetRequiredService<IssueImporter>().ImportAsync(text, null, "bench", CancellationToken.None);
        return ((ImportOutcome.Imported)outcome).IssueId;
    }

    /// <summary>Publishes an issue: the time it takes to queue one delivery per subscriber.</summary>
    public async Task<(int PushId, TimeSpan Queued)> PublishAsync(int issueId)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var started = Stopwatch.GetTimestamp();
        var outcome = (PublishOutcome.Published)await scope.ServiceProvider.GetRequiredService<IssuePublisher>().PublishAsync(issueId, "bench", CancellationToken.None);
        return (outcome.PushId, Stopwatch.GetElapsedTime(started));
    }

    /// <summary>The push's tally says every recipient is done (read as the admin page reads it: no counting of deliveries).</summary>
    public async Task<bool> DoneAsync(int pushId)
    {
        var ledger = await LedgerAsync(pushId);
        return ledger.Pending == 0 && ledger.Recipients <= ledger.Done;
    }

    public async Task<PushLedger> LedgerAsync(int pushId)
    {
        await using var scope = host.Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<StatsReport>().LedgerAsync(pushId, CancellationToken.None))!;
    }

    public async Task WaitDoneAsync(int pushId, TimeSpan timeout, BotProcess bot)
    {
        var deadline = Stopwatch.StartNew();
        while (!await DoneAsync(pushId))
        {
            if (deadline.Elapsed > timeout)
                throw new TimeoutException($"push {pushId} not done after {timeout}:\n{bot.LastOutput()}");
            await Task.Delay(250);
        }
    }

    /// <summary>What the <c>stats</c> verb reads, each part timed: subscribers by channel and status with topics and recent pushes, the next push's estimate, channel health.</summary>
    public async Task<StatsTimes> StatsAsync()
    {
        await using var scope = host.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var started = Stopwatch.GetTimestamp();
        await services.GetRequiredService<StatsReport>().BuildAsync(recentPushes: 10, CancellationToken.None);
        var report = Stopwatch.GetElapsedTime(started);
        await services.GetRequiredService<PushEstimate>().ForAudienceAsync(includeChannelPosts: true, CancellationToken.None);
        var estimate = Stopwatch.GetElapsedTime(started) - report;
        await services.GetRequiredService<ChannelHealth>().ReadAsync(CancellationToken.None);
        return new StatsTimes(report, estimate, Stopwatch.GetElapsedTime(started) - report - estimate);
    }

    public async ValueTask DisposeAsync()
    {
        host.Dispose();
        SqliteConnection.ClearAllPools();
        await Task.CompletedTask;
    }
}

public sealed record StatsTimes(TimeSpan Report, TimeSpan Estimate, TimeSpan Health)
{
    public TimeSpan Total => Report + Estimate + Health;
}
