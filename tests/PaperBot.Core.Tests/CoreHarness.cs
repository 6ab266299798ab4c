using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using PaperBot.Core.Commands;
using PaperBot.Core.Data;
using PaperBot.Core.Issues;
using PaperBot.Core.Sending;
using PaperBot.Core.Subscribers;
using PaperBot.Scheduling;
using PaperBot.TestServices;

namespace PaperBot.Core.Tests;

/// <summary>
/// The core's services on a real SQLite file in a fresh directory, with the sample optionally published. Only the
/// settings given here count (no environment, no files, no user secrets), and no API outside this machine (<see cref="TestIsolation"/>).
/// </summary>
internal sealed class CoreHarness : IAsyncDisposable
{
    public const string AdminId = "900";

    private readonly string directory;
    private readonly PostgresDatabase? database;

    private CoreHarness(string directory, PostgresDatabase? database, IHost host, FakeTimeProvider clock)
    {
        this.directory = directory;
        this.database = database;
        Host = host;
        Clock = clock;
    }

    public IHost Host { get; }
    public FakeTimeProvider Clock { get; }

    /// <param name="provider">Sqlite (a file in a fresh directory) or Postgres (a fresh database on the test server), unless the settings name a database.</param>
    /// <param name="senders">Channel senders; with any, the sending engine runs.</param>
    public static async Task<CoreHarness> StartAsync(bool publishSample = true, IDictionary<string, string?>? settings = null, string provider = StorageOptions.Sqlite, params IChannelSender[] senders)
    {
        TestIsolation.EnsureLocal(settings ?? new Dictionary<string, string?>());
        var directory = Directory.CreateTempSubdirectory("paperbot-core-").FullName;
        var ownDatabase = settings?.ContainsKey("ConnectionStrings:PaperBot") != true && provider == StorageOptions.Postgres
            ? await PostgresDatabase.CreateAsync()
            : null;
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:Provider"] = provider,
            ["ConnectionStrings:PaperBot"] = ownDatabase?.ConnectionString ?? $"Data Source={Path.Combine(directory, "paperbot.db")}",
            ["Topics:Catalog"] = TestFiles.PathOf("config/topics.json"),
            ["Samples:File"] = TestFiles.PathOf("samples/digest-sample.txt"),
            ["Samples:ImportOnFirstStart"] = publishSample ? "true" : "false",
            ["Admins:Telegram:0"] = AdminId,
            ["Arxiv:Enabled"] = "false",
            ["Topics:Model"] = TestFiles.PathOf("config/topic-model.json"),
        });
        builder.Configuration.AddInMemoryCollection(TestIsolation.Defaults);
        if (settings is not null)
            builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.ClearProviders();
        // The sending engine waits on real time; command tests get a fixed clock.
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero));
        builder.Services.AddSingleton(senders.Length > 0 ? TimeProvider.System : clock);
        builder.AddPaperBotCore();
        builder.AddPushSchedule();
        foreach (var sender in senders)
            builder.Services.AddSingleton(sender);
        if (senders.Length > 0)
            builder.AddDeliveryWorker();

        var host = builder.Build();
        await using (var scope = host.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<DatabaseMigrator>().MigrateAsync(CancellationToken.None);
            await scope.ServiceProvider.GetRequiredService<FirstStartSample>().ImportIfEmptyAsync(CancellationToken.None);
        }

        if (senders.Length > 0)
            await host.StartAsync();
        return new CoreHarness(directory, ownDatabase, host, clock);
    }

    /// <summary>Waits until no delivery is pending, or fails the test after <paramref name="timeout"/>.</summary>
    public async Task WaitForDeliveriesAsync(TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (await QueryAsync(db => db.Deliveries.AnyAsync(d => d.Status == DeliveryStatus.Pending)))
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException("deliveries still pending: " + string.Join(", ", await QueryAsync(db => db.Deliveries.Where(d => d.Status == DeliveryStatus.Pending).Select(d => d.Id + " " + d.LastError).ToListAsync())));
            await Task.Delay(20);
        }
    }

    public Task<Reply> SendAsync(string text, string user = "100", Channel channel = Channel.Telegram, ChatKind kind = ChatKind.Private, string? language = "zh-hans", string? chat = null, string? botUsername = "PaperBot") =>
        HandleAsync(new InboundMessage(channel, user, chat ?? user, text, null, kind, language) { BotUsername = botUsername });

    public Task<Reply> PressAsync(string data, string user = "100", Channel channel = Channel.Telegram, string? language = "zh-hans") =>
        HandleAsync(new InboundMessage(channel, user, user, null, data, ChatKind.Private, language));

    public async Task<Reply> HandleAsync(InboundMessage message)
    {
        await using var scope = Host.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<CommandEngine>().HandleAsync(message, CancellationToken.None);
    }

    public async Task<T> QueryAsync<T>(Func<PaperBotDbContext, Task<T>> query)
    {
        await using var scope = Host.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<PaperBotDbContext>());
    }

    public async Task<T> UseAsync<TService, T>(Func<TService, Task<T>> use)
        where TService : notnull
    {
        await using var scope = Host.Services.CreateAsyncScope();
        return await use(scope.ServiceProvider.GetRequiredService<TService>());
    }

    public Task<Subscriber?> SubscriberAsync(string chat, Channel channel = Channel.Telegram) =>
        QueryAsync(db => db.Subscribers.Include(s => s.Topics).AsNoTracking().FirstOrDefaultAsync(s => s.Channel == channel && s.ChatId == chat));

    public async ValueTask DisposeAsync()
    {
        await Host.StopAsync();
        Host.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(directory, recursive: true);
        if (database is not null)
            await database.DisposeAsync();
    }
}
