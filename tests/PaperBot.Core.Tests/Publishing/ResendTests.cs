using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using PaperBot.Core.Data;
using PaperBot.Core.Issues;
using PaperBot.Core.Publishing;
using PaperBot.Core.Sending;
using PaperBot.Core.Subscribers;
using PaperBot.Core.Tests.Sending;
using PaperBot.TestServices;

namespace PaperBot.Core.Tests.Publishing;

public class ResendTests : StorageTests
{
    private static readonly Dictionary<string, string?> Fast = new() { ["Delivery:MessagesPerSecond"] = "0", ["Delivery:RetryDelay"] = "00:00:00.100" };

    private protected static async Task<(int IssueId, int PushId)> PublishNextWeekAsync(CoreHarness harness)
    {
        var text = TestFiles.SampleText.Replace("超越 Transformer", "超越 RNN", StringComparison.Ordinal);
        var imported = Assert.IsType<ImportOutcome.Imported>(await harness.UseAsync<IssueImporter, ImportOutcome>(i => i.ImportAsync(text, null, "test", CancellationToken.None)));
        var published = Assert.IsType<PublishOutcome.Published>(await harness.UseAsync<IssuePublisher, PublishOutcome>(p => p.PublishAsync(imported.IssueId, "test", CancellationToken.None)));
        return (imported.IssueId, published.PushId);
    }

    [SkippableFact]
    public async Task AnAdminsResendQueuesTheFailedAgainAndNobodyWhoHasTheIssueGetsItTwice()
    {
        var sender = new RecordingSender();
        sender.Script("unlucky", new SendOutcome.Failed("400 Bad Request: message is too long"));
        await using var harness = await StartAsync(settings: Fast, senders: sender);
        foreach (var user in new[] { "unlucky", "fine" })
            await harness.SendAsync("/start", user: user);
        var (issueId, pushId) = await PublishNextWeekAsync(harness);
        await harness.WaitForDeliveriesAsync();
        Assert.Equal(["fine"], sender.SentTo);

        var reply = await harness.SendAsync($"/resend {issueId}", user: CoreHarness.AdminId, language: "en");
        Assert.Equal($"Issue {issueId}: 1 failed or unsent deliveries queued again.", reply.ToPlainText());
        await harness.WaitForDeliveriesAsync();

        Assert.Equal(["fine", "unlucky"], sender.SentTo.Order());
        Assert.Equal(2, await harness.QueryAsync(db => db.Deliveries.CountAsync(d => d.PushId == pushId && d.Status == DeliveryStatus.Sent)));
        Assert.Contains(await harness.QueryAsync(db => db.AuditLog.Select(e => e.Action).ToListAsync()), a => a == "resend");
        Assert.Equal($"Nothing to resend for issue {issueId}: every subscriber has it or cannot be reached.",
            (await harness.SendAsync($"/resend {issueId}", user: CoreHarness.AdminId, language: "en")).ToPlainText());
    }

    // A resend sends at once what is still on its way; it does not start a send that may have arrived over, so the
    // chat still gets at most one extra copy (guarantee 2), however the resend falls between the push's retries.
    [SkippableFact]
    public async Task AResendDuringAPushDoesNotLetASendThatMayHaveArrivedGoOutAThirdTime()
    {
        var sender = new RecordingSender();
        sender.Script("flaky", new SendOutcome.Ambiguous("no answer"), new SendOutcome.Ambiguous("no answer"));
        await using var harness = await StartAsync(settings: new Dictionary<string, string?>(Fast) { ["Delivery:RetryDelay"] = "00:00:30" }, senders: sender);
        await harness.SendAsync("/start", user: "flaky");
        var (issueId, pushId) = await PublishNextWeekAsync(harness);
        await Eventually.AssertAsync(
            () => harness.QueryAsync(db => db.Deliveries.AnyAsync(d => d.PushId == pushId && d.AmbiguousSends == 1)), "the first send to be recorded as unanswered");

        var reply = await harness.SendAsync($"/resend {issueId}", user: CoreHarness.AdminId, language: "en");
        Assert.Equal($"Issue {issueId}: 1 failed or unsent deliveries queued again.", reply.ToPlainText());
        await harness.WaitForDeliveriesAsync();

        Assert.Equal(2, sender.Calls.Count(c => c.ChatId == "flaky"));
        var delivery = await harness.QueryAsync(db => db.Deliveries.SingleAsync(d => d.PushId == pushId));
        Assert.Equal(DeliveryStatus.Failed, delivery.Status);
        Assert.Contains("it may have arrived", delivery.LastError, StringComparison.Ordinal);
    }

    // Housekeeping picks the pushes finished before the retention and then deletes their deliveries; a resend of such a
    // push between the two queues deliveries that the delete must leave alone, or those subscribers never get the resend.
    [SkippableFact]
    public async Task AResendOfAPushPastTheRetentionWhileHousekeepingRunsKeepsTheDeliveriesItQueued()
    {
        await using var harness = await StartAsync();
        foreach (var user in new[] { "unlucky", "fine" })
            await harness.SendAsync("/start", user: user);
        var (issueId, pushId) = await PublishNextWeekAsync(harness);
        var unlucky = (await harness.SubscriberAsync("unlucky"))!.Id;
        await harness.QueryAsync(db => db.Deliveries.Where(d => d.PushId == pushId)
            .ExecuteUpdateAsync(d => d.SetProperty(x => x.Status, x => x.SubscriberId == unlucky ? DeliveryStatus.Failed : DeliveryStatus.Sent)));
        await harness.UseAsync<DeliveryResults, int>(r => r.CompleteFinishedAsync([pushId], CancellationToken.None));
        harness.Clock.Advance(TimeSpan.FromDays(new RetentionOptions().Days + 1));

        var resentMeanwhile = new BeforeDeliveriesAreDeleted(() => harness.SendAsync($"/resend {issueId}", user: CoreHarness.AdminId, language: "en"));
        var connection = harness.Host.Services.GetRequiredService<StorageDialect>().ConnectionString;
        await using PaperBotDbContext db = Provider == StorageOptions.Postgres
            ? new PostgresPaperBotDbContext(new DbContextOptionsBuilder<PostgresPaperBotDbContext>().UseNpgsql(connection).AddInterceptors(resentMeanwhile).Options)
            : new SqlitePaperBotDbContext(new DbContextOptionsBuilder<SqlitePaperBotDbContext>().UseSqlite(connection).AddInterceptors(resentMeanwhile).Options);
        await new Housekeeping(db, harness.Clock, Options.Create(new RetentionOptions())).PruneAsync(CancellationToken.None);

        Assert.True(resentMeanwhile.Ran);
        var requeued = await harness.QueryAsync(db => db.Deliveries.AsNoTracking().SingleOrDefaultAsync(d => d.PushId == pushId && d.SubscriberId == unlucky));
        Assert.Equal(DeliveryStatus.Pending, requeued?.Status);
        Assert.Equal(1, await harness.QueryAsync(db => db.PushTallies.Where(t => t.PushId == pushId).SumAsync(t => t.Pending)));

        // Once the resent push is finished and past the retention too, its rows go, and its totals stay.
        await harness.QueryAsync(db => db.Deliveries.Where(d => d.PushId == pushId).ExecuteUpdateAsync(d => d.SetProperty(x => x.Status, DeliveryStatus.Sent)));
        await harness.UseAsync<DeliveryResults, int>(r => r.CompleteFinishedAsync([pushId], CancellationToken.None));
        harness.Clock.Advance(TimeSpan.FromDays(new RetentionOptions().Days + 1));
        var pruned = await harness.UseAsync<Housekeeping, Housekeeping.Pruned>(h => h.PruneAsync(CancellationToken.None));
        Assert.Equal(2, pruned.Deliveries);
        Assert.Equal(2, await harness.QueryAsync(db => db.PushTallies.Where(t => t.PushId == pushId).SumAsync(t => t.Sent)));
    }

    [SkippableFact]
    public async Task ResendIsForAdminsAndSaysWhatItCannotDo()
    {
        await using var harness = await StartAsync(settings: Fast);
        var imported = Assert.IsType<ImportOutcome.Imported>(await harness.UseAsync<IssueImporter, ImportOutcome>(i =>
            i.ImportAsync(TestFiles.SampleText.Replace("超越 Transformer", "草稿", StringComparison.Ordinal), null, "test", CancellationToken.None)));

        Assert.Equal("This command is for admins only.", (await harness.SendAsync("/resend 1", language: "en")).ToPlainText());
        Assert.Equal($"Issue {imported.IssueId} is not published yet; /publish {imported.IssueId} first.",
            (await harness.SendAsync($"/resend {imported.IssueId}", user: CoreHarness.AdminId, language: "en")).ToPlainText());
        Assert.Equal("There is no issue 99. /issues lists the archive.", (await harness.SendAsync("/resend 99", user: CoreHarness.AdminId, language: "en")).ToPlainText());
        Assert.Equal("Give an issue number, e.g. /resend 3.", (await harness.SendAsync("/resend", user: CoreHarness.AdminId, language: "en")).ToPlainText());
    }

    [SkippableFact]
    public async Task DeliveriesOfASwitchedOffChannelAreSkippedWithTheReasonAndResentOnceItIsOn()
    {
        var weChatOnly = new RecordingSender(Channel.WeChat);
        (int IssueId, int PushId) push;
        var directory = Directory.CreateTempSubdirectory("paperbot-off-").FullName;
        await using var postgres = Provider == StorageOptions.Postgres ? await PostgresDatabase.CreateAsync() : null;
        var settings = new Dictionary<string, string?>(Fast)
        {
            ["ConnectionStrings:PaperBot"] = postgres?.ConnectionString ?? $"Data Source={Path.Combine(directory, "paperbot.db")}",
        };
        try
        {
            await using (var harness = await CoreHarness.StartAsync(settings: settings, provider: Provider, senders: weChatOnly))
            {
                await harness.SendAsync("/start", user: "tg");
                await harness.SendAsync("订阅", user: "wx", channel: Channel.WeChat);
                push = await PublishNextWeekAsync(harness);
                await harness.WaitForDeliveriesAsync();

                var telegram = await harness.QueryAsync(db => db.Deliveries.AsNoTracking().SingleAsync(d => d.PushId == push.PushId && d.Channel == Channel.Telegram));
                Assert.Equal(DeliveryStatus.Skipped, telegram.Status);
                Assert.StartsWith("the channel is switched off (no Telegram credentials in the configuration)", telegram.LastError, StringComparison.Ordinal);
                Assert.NotNull(await harness.QueryAsync(db => db.Pushes.Where(p => p.Id == push.PushId).Select(p => p.CompletedAt).SingleAsync()));
            }

            var telegramOn = new RecordingSender(Channel.Telegram);
            await using (var harness = await CoreHarness.StartAsync(settings: settings, provider: Provider, senders: [telegramOn, new RecordingSender(Channel.WeChat)]))
            {
                await harness.SendAsync($"/resend {push.IssueId}", user: CoreHarness.AdminId);
                await harness.WaitForDeliveriesAsync();
                Assert.Equal(["tg"], telegramOn.SentTo);
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>Runs something on another connection right before the first statement that deletes deliveries, once.</summary>
    private sealed class BeforeDeliveriesAreDeleted(Func<Task> meanwhile) : DbCommandInterceptor
    {
        public bool Ran { get; private set; }

        public override async ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            if (!Ran && command.CommandText.Contains("DELETE FROM \"Deliveries\"", StringComparison.Ordinal))
            {
                Ran = true;
                await meanwhile();
            }

            return result;
        }
    }
}

public sealed class ResendTestsOnPostgres : ResendTests
{
    protected override string Provider => StorageOptions.Postgres;

    // Something that locks the push's deliveries in another order than the resend (here a bare connection; the result
    // writer takes the push's tallies first, as the resend does) holds one delivery and then wants another that the
    // admin's resend, waiting for the first, already holds: PostgreSQL breaks the deadlock by aborting the resend
    // (40P01), which waited first. The resend is run again once the other is through, and the admin gets the usual
    // answer, not an error.
    [SkippableFact]
    public async Task AResendThatDeadlocksWithAResultWriteIsRunAgainAndAnswersAsUsual()
    {
        await using var harness = await StartAsync(settings: new Dictionary<string, string?> { ["Delivery:MessagesPerSecond"] = "0" });
        foreach (var user in new[] { "one", "two" })
            await harness.SendAsync("/start", user: user);
        var text = TestFiles.SampleText.Replace("超越 Transformer", "超越 RNN", StringComparison.Ordinal);
        var imported = Assert.IsType<ImportOutcome.Imported>(await harness.UseAsync<IssueImporter, ImportOutcome>(i => i.ImportAsync(text, null, "test", CancellationToken.None)));
        var pushId = Assert.IsType<PublishOutcome.Published>(await harness.UseAsync<IssuePublisher, PublishOutcome>(p => p.PublishAsync(imported.IssueId, "test", CancellationToken.None))).PushId;
        await harness.QueryAsync(db => db.Deliveries.Where(d => d.PushId == pushId).ExecuteUpdateAsync(d => d.SetProperty(x => x.Status, DeliveryStatus.Failed)));

        var connectionString = harness.Host.Services.GetRequiredService<StorageDialect>().ConnectionString;
        await using var writer = new NpgsqlConnection(connectionString);
        await writer.OpenAsync();
        // The resend's UPDATE takes the push's rows in the order it reads them, the table's own.
        var rows = new List<long>();
        await using (var read = new NpgsqlCommand($"""SELECT "Id" FROM "Deliveries" WHERE "PushId" = {pushId} ORDER BY ctid""", writer))
        await using (var reader = await read.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
                rows.Add(reader.GetInt64(0));
        }

        Assert.Equal(2, rows.Count);
        var deadlocksBefore = await DeadlocksAsync(connectionString);
        await using var transaction = await writer.BeginTransactionAsync();
        await LockAsync(writer, rows[1]);
        var resend = harness.SendAsync($"/resend {imported.IssueId}", user: CoreHarness.AdminId, language: "en");
        await Eventually.AssertAsync(async () => await DeadlockProbe.SomeoneWaitsForALockAsync(connectionString), "the resend to hold the first row and wait for the second");
        await LockAsync(writer, rows[0]);
        await transaction.CommitAsync();

        var reply = await resend;
        Assert.Equal($"Issue {imported.IssueId}: 2 failed or unsent deliveries queued again.", reply.ToPlainText());
        Assert.Equal(2, await harness.QueryAsync(db => db.Deliveries.CountAsync(d => d.PushId == pushId && d.Status == DeliveryStatus.Pending)));
        Assert.Equal(1, await harness.QueryAsync(db => db.AuditLog.CountAsync(e => e.Action == "resend")));
        await Eventually.AssertAsync(async () => await DeadlocksAsync(connectionString) > deadlocksBefore, "PostgreSQL to count the deadlock");
    }

    // The push's result writer marks one delivery failed and, in the same write, another delivered, and the admin's
    // resend comes while the write holds the first: the resend waits for the write and then queues the failed one
    // again. Before, the resend took the delivered one and waited for the failed one, the write then waited for the
    // delivered one, and PostgreSQL aborted the resend in a deadlock (40P01) to be run again a second later.
    [SkippableFact]
    public async Task AResendDuringAResultWriteWaitsForItWithoutADeadlock()
    {
        await using var harness = await StartAsync(settings: new Dictionary<string, string?> { ["Delivery:MessagesPerSecond"] = "0" });
        foreach (var user in new[] { "one", "two" })
            await harness.SendAsync("/start", user: user);
        var (issueId, pushId) = await PublishNextWeekAsync(harness);
        var dialect = harness.Host.Services.GetRequiredService<StorageDialect>();
        var writerOptions = Options.Create(new DeliveryOptions { MessagesPerSecond = 0, InstanceId = "writer" });
        ClaimedBatch batch;
        await using (var scope = harness.Host.Services.CreateAsyncScope())
        {
            var claims = new DeliveryClaims(scope.ServiceProvider.GetRequiredService<PaperBotDbContext>(), dialect, new InstanceIdentity(writerOptions), harness.Clock, writerOptions,
                NullLogger<DeliveryClaims>.Instance);
            batch = await claims.ClaimAsync(Channel.Telegram, 1, CancellationToken.None);
        }

        Assert.Equal(2, batch.Deliveries.Count);
        // The resend's UPDATE takes the push's rows in the order it reads them, the table's own; the write takes the
        // later one first.
        var rows = await harness.QueryAsync(db => db.Database.SqlQuery<long>($"""SELECT "Id" AS "Value" FROM "Deliveries" WHERE "PushId" = {pushId} ORDER BY ctid""").ToListAsync());
        var claimed = batch.Deliveries.ToDictionary(d => d.Id);
        var writes = new DeadlockProbe(pauseAfter: command => command.CommandText.Contains("UPDATE \"Deliveries\"", StringComparison.Ordinal));
        var resends = new DeadlockProbe();
        await using var writerDb = new PostgresPaperBotDbContext(new DbContextOptionsBuilder<PostgresPaperBotDbContext>().UseNpgsql(dialect.ConnectionString).AddInterceptors(writes).Options);
        await using var resendDb = new PostgresPaperBotDbContext(new DbContextOptionsBuilder<PostgresPaperBotDbContext>().UseNpgsql(dialect.ConnectionString).AddInterceptors(resends).Options);
        await using var services = harness.Host.Services.CreateAsyncScope();
        var writer = new DeliveryResults(writerDb, dialect, services.ServiceProvider.GetRequiredService<ChatLifecycle>(), new InstanceIdentity(writerOptions), harness.Clock, writerOptions);
        var resender = new Resender(resendDb, dialect, harness.Host.Services.GetRequiredService<DeliverySignal>(), harness.Clock, NullLogger<Resender>.Instance);

        var write = writer.WriteAsync(Channel.Telegram,
            [new DeliveryResult(claimed[rows[1]], new SendOutcome.Failed("Bad Request: message is too long")), new DeliveryResult(claimed[rows[0]], new SendOutcome.Delivered(), 1)],
            CancellationToken.None);
        await writes.Paused;
        var resend = resender.ResendAsync(issueId, "admin", CancellationToken.None);
        await Eventually.AssertAsync(async () => await DeadlockProbe.SomeoneWaitsForALockAsync(dialect.ConnectionString), "the resend to wait for the result write");
        writes.Resume();
        await write;

        var requeued = Assert.IsType<ResendOutcome.Requeued>(await resend);
        Assert.Equal(1, requeued.Deliveries);
        Assert.Equal((0, 0), (writes.Deadlocks, resends.Deadlocks));
        var statuses = await harness.QueryAsync(db => db.Deliveries.Where(d => d.PushId == pushId).ToDictionaryAsync(d => d.Id, d => d.Status));
        Assert.Equal((DeliveryStatus.Sent, DeliveryStatus.Pending), (statuses[rows[0]], statuses[rows[1]]));
    }

    private static async Task LockAsync(NpgsqlConnection connection, long deliveryId)
    {
        await using var command = new NpgsqlCommand($"""SELECT 1 FROM "Deliveries" WHERE "Id" = {deliveryId} FOR UPDATE""", connection);
        await command.ExecuteScalarAsync();
    }

    private static async Task<long> DeadlocksAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT pg_stat_clear_snapshot(); SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()", connection);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.NextResultAsync();
        await reader.ReadAsync();
        return reader.GetInt64(0);
    }
}
