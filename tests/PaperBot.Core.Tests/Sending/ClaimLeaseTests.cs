using PaperBot.Core.Data;
using PaperBot.Core.Issues;
using PaperBot.Core.Publishing;
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
}
