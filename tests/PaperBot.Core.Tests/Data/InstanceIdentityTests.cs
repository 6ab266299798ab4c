using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using PaperBot.Core.Data;
using PaperBot.Core.Issues;
using PaperBot.Core.Publishing;
using PaperBot.Core.Sending;
using PaperBot.Core.Subscribers;

namespace PaperBot.Core.Tests.Data;

/// <summary>The longest names an instance can have are stored with its claims and leases, on either database.</summary>
public class InstanceIdentityTests : StorageTests
{
    // A host name may be 64 characters (Linux's limit; a Kubernetes pod's is 63): an instance named after it, with no
    // Delivery:InstanceId, claims deliveries and holds leases. PostgreSQL refused its claims as too long, and the push
    // never went out.
    [SkippableFact]
    public async Task AnInstanceOnAMachineWithTheLongestHostNameClaimsDeliveriesAndHoldsLeases()
    {
        var identity = new InstanceIdentity(Options.Create(new DeliveryOptions()), commandLine: false, machine: new string('m', 64));
        await ClaimAndLeaseAsync(identity);
    }

    // The longest Delivery:InstanceId the start allows, and a command-line verb named after it (ID-cli:1a2b3c4d).
    [SkippableTheory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task TheLongestInstanceIdClaimsDeliveriesAndHoldsLeasesAlsoForAVerb(bool commandLine)
    {
        var identity = new InstanceIdentity(
            Options.Create(new DeliveryOptions { InstanceId = new string('i', InstanceIdentity.MaxConfiguredLength) }), commandLine, machine: "host");
        await ClaimAndLeaseAsync(identity);
    }

    [Fact]
    public void AnInstanceIdTooLongForAVerbsClaimsIsOneLineNamingTheKey()
    {
        Assert.Empty(new DeliveryOptions { InstanceId = new string('i', InstanceIdentity.MaxConfiguredLength) }.Validate());
        var problem = Assert.Single(new DeliveryOptions { InstanceId = new string('i', InstanceIdentity.MaxConfiguredLength + 1) }.Validate());
        Assert.Equal($"Delivery:InstanceId must be at most {InstanceIdentity.MaxConfiguredLength} characters (it names this instance in claims and leases), not {InstanceIdentity.MaxConfiguredLength + 1}", problem);
    }

    private async Task ClaimAndLeaseAsync(InstanceIdentity identity)
    {
        await using var harness = await StartAsync(settings: new Dictionary<string, string?> { ["Delivery:MessagesPerSecond"] = "0" });
        await harness.SendAsync("/start", user: "reader");
        var text = TestFiles.SampleText.Replace("超越 Transformer", "超越 RNN", StringComparison.Ordinal);
        var imported = Assert.IsType<ImportOutcome.Imported>(await harness.UseAsync<IssueImporter, ImportOutcome>(i => i.ImportAsync(text, null, "test", CancellationToken.None)));
        Assert.IsType<PublishOutcome.Published>(await harness.UseAsync<IssuePublisher, PublishOutcome>(p => p.PublishAsync(imported.IssueId, "test", CancellationToken.None)));

        await using var scope = harness.Host.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var claims = new DeliveryClaims(services.GetRequiredService<PaperBotDbContext>(), services.GetRequiredService<StorageDialect>(), identity, harness.Clock,
            Options.Create(new DeliveryOptions { MessagesPerSecond = 0 }), NullLogger<DeliveryClaims>.Instance);
        var claimed = Assert.Single((await claims.ClaimAsync(Channel.Telegram, 1, CancellationToken.None)).Deliveries);
        Assert.True(await services.GetRequiredService<ClusterLeases>().TryAcquireAsync("test-lease", identity.Name, TimeSpan.FromSeconds(10), CancellationToken.None));

        Assert.Equal(identity.Name, await harness.QueryAsync(db => db.Deliveries.Where(d => d.Id == claimed.Id).Select(d => d.ClaimedBy).SingleAsync()));
        Assert.Equal(identity.Name, (await services.GetRequiredService<ClusterLeases>().HolderAsync("test-lease", CancellationToken.None))?.Holder);
    }
}

public sealed class InstanceIdentityTestsOnPostgres : InstanceIdentityTests
{
    protected override string Provider => StorageOptions.Postgres;
}
