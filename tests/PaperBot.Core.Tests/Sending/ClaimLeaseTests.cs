using Microsoft.EntityFrameworkCore;
using Npgsql;
using PaperBot.Core.Data;
using PaperBot.Core.Issues;
using PaperBot.Core.Publishing;
using PaperBot.Core.Sending;
using PaperBot.TestServices;

namespace PaperBot.Core.Tests.Sending;

/// <summary>Two instances on one PostgreSQL: a claim is renewed while its send is out, however slow the channel answers.</summary>
public sealed class ClaimLeaseTests
{
    [SkippableFact]
    public async Task ASendSlowerThanTheClaimLeaseIsNotTakenOverByTheOtherInstance()
    {
        await using var postgres = await PostgresDatabase.CreateAsync();
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:PaperBot"] = postgres.ConnectionString,
            ["Delivery:MessagesPerSecond"] = "0",
            ["Delivery:ClaimLease"] = "00:00:05",
        };
        var slow = new RecordingSender { Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
        await using var first = await CoreHarness.StartAsync(settings: settings, provider: StorageOptions.Postgres, senders: slow);
        await first.SendAsync("/start", user: "reader");
        var text = TestFiles.SampleText.Replace("超越 Transformer", "超越 RNN", StringComparison.Ordinal);
        var imported = Assert.IsType<ImportOutcome.Imported>(await first.UseAsync<IssueImporter, ImportOutcome>(i => i.ImportAsync(text, null, "test", CancellationToken.None)));
        Assert.IsType<PublishOutcome.Published>(await first.UseAsync<IssuePublisher, PublishOutcome>(p => p.PublishAsync(imported.IssueId, "test", CancellationToken.None)));
        await Eventually.AssertAsync(() => Task.FromResult(slow.Attempts.Count == 1), "the send to be out");

        var other = new RecordingSender();
        await using var second = await CoreHarness.StartAsync(settings: settings, provider: StorageOptions.Postgres, senders: other);
        // The send stays out for more than two leases, while the other instance looks for work.
        await Task.Delay(TimeSpan.FromSeconds(12));
        slow.Gate.SetResult();
        await first.WaitForDeliveriesAsync();

        Assert.Empty(other.Attempts);
        Assert.Equal(["reader"], slow.SentTo);
    }

    // During a rolling deploy that gives the bot a channel, an instance still without it marks that channel's queued
    // deliveries skipped; one the other instance is sending meanwhile is not among them, or its result is dropped, the
    // reason says it was not sent, and the resend that reason suggests sends it a second time.
    [SkippableFact]
    public async Task AnInstanceWithoutAChannelDoesNotSkipADeliveryAnotherInstanceIsSending()
    {
        await using var postgres = await PostgresDatabase.CreateAsync();
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:PaperBot"] = postgres.ConnectionString,
            ["Delivery:MessagesPerSecond"] = "0",
        };
        var telegram = new RecordingSender { Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
        await using var withTelegram = await CoreHarness.StartAsync(settings: settings, provider: StorageOptions.Postgres, senders: telegram);
        await withTelegram.SendAsync("/start", user: "reader");
        var text = TestFiles.SampleText.Replace("超越 Transformer", "超越 RNN", StringComparison.Ordinal);
        var imported = Assert.IsType<ImportOutcome.Imported>(await withTelegram.UseAsync<IssueImporter, ImportOutcome>(i => i.ImportAsync(text, null, "test", CancellationToken.None)));
        var push = Assert.IsType<PublishOutcome.Published>(await withTelegram.UseAsync<IssuePublisher, PublishOutcome>(p => p.PublishAsync(imported.IssueId, "test", CancellationToken.None)));
        await Eventually.AssertAsync(() => Task.FromResult(telegram.Attempts.Count == 1), "the send to be out");

        await using var weChatOnly = await CoreHarness.StartAsync(settings: settings, provider: StorageOptions.Postgres, senders: new RecordingSender(Subscribers.Channel.WeChat));
        // The switched-off check runs at start and every 5 s.
        await Task.Delay(TimeSpan.FromSeconds(1));
        telegram.Gate.SetResult();
        await withTelegram.WaitForDeliveriesAsync();

        var delivery = await withTelegram.QueryAsync(db => db.Deliveries.AsNoTracking().SingleAsync(d => d.PushId == push.PushId));
        Assert.Equal(DeliveryStatus.Sent, delivery.Status);
        Assert.Equal(["reader"], telegram.SentTo);
    }

    // A stop while a claimed batch is still being prepared (here: its push cannot be read yet) hands the batch back, so
    // the other instance, or this one started again under a new name, sends it at once instead of after the lease.
    [SkippableFact]
    public async Task AStopWhileABatchIsBeingPreparedHandsItsClaimBack()
    {
        await using var postgres = await PostgresDatabase.CreateAsync();
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:PaperBot"] = postgres.ConnectionString,
            ["Delivery:MessagesPerSecond"] = "0",
        };
        await using (var queuing = await CoreHarness.StartAsync(settings: settings, provider: StorageOptions.Postgres))
        {
            await queuing.SendAsync("/start", user: "reader");
            var text = TestFiles.SampleText.Replace("超越 Transformer", "超越 RNN", StringComparison.Ordinal);
            var imported = Assert.IsType<ImportOutcome.Imported>(await queuing.UseAsync<IssueImporter, ImportOutcome>(i => i.ImportAsync(text, null, "test", CancellationToken.None)));
            Assert.IsType<PublishOutcome.Published>(await queuing.UseAsync<IssuePublisher, PublishOutcome>(p => p.PublishAsync(imported.IssueId, "test", CancellationToken.None)));
        }

        await using var locker = new NpgsqlConnection(postgres.ConnectionString);
        await locker.OpenAsync();
        var holding = await locker.BeginTransactionAsync();
        await using (var pushesLocked = new NpgsqlCommand("""LOCK TABLE "Pushes" IN ACCESS EXCLUSIVE MODE""", locker, holding))
            await pushesLocked.ExecuteNonQueryAsync();
        var sender = new RecordingSender();
        var harness = await CoreHarness.StartAsync(settings: settings, provider: StorageOptions.Postgres, senders: sender);
        try
        {
            await Eventually.AssertAsync(
                () => harness.QueryAsync(db => db.Deliveries.AnyAsync(d => d.Status == DeliveryStatus.Pending && d.ClaimedBy != null)), "the batch to be claimed");
            var stopping = harness.Host.StopAsync();
            await Task.Delay(TimeSpan.FromSeconds(1));
            await holding.RollbackAsync();
            await stopping;

            Assert.Empty(sender.Attempts);
            var claimed = await harness.QueryAsync(db => db.Deliveries.Where(d => d.Status == DeliveryStatus.Pending && d.ClaimedBy != null).Select(d => d.ClaimedBy).ToListAsync());
            Assert.Empty(claimed);
        }
        finally
        {
            await harness.DisposeAsync();
        }
    }
}
