using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using PaperBot.Core.Data;
using PaperBot.Core.Issues;
using PaperBot.Core.Publishing;
using PaperBot.Core.Sending;
using PaperBot.Core.Subscribers;

namespace PaperBot.Core.Tests.Sending;

/// <summary>
/// Results written after something changed the delivery since its claim: another instance took it over once the lease
/// ran out (the first lost its database for longer than the lease), or an admin's resend queued it again. The claims and
/// results of several instances are driven by hand on one database, on a clock the test moves.
/// </summary>
public class LateResultTests : StorageTests
{
    private static readonly Dictionary<string, string?> Settings = new() { ["Delivery:MessagesPerSecond"] = "0" };

    private static readonly IOptions<DeliveryOptions> Options = Microsoft.Extensions.Options.Options.Create(new DeliveryOptions { MessagesPerSecond = 0 });

    private static async Task<int> PublishNextWeekAsync(CoreHarness harness, string title = "超越 RNN")
    {
        var text = TestFiles.SampleText.Replace("超越 Transformer", title, StringComparison.Ordinal);
        var imported = Assert.IsType<ImportOutcome.Imported>(await harness.UseAsync<IssueImporter, ImportOutcome>(i => i.ImportAsync(text, null, "test", CancellationToken.None)));
        var published = Assert.IsType<PublishOutcome.Published>(await harness.UseAsync<IssuePublisher, PublishOutcome>(p => p.PublishAsync(imported.IssueId, "test", CancellationToken.None)));
        return published.PushId;
    }

    /// <summary>Claims a batch as the instance named <paramref name="instance"/>.</summary>
    private static async Task<ClaimedBatch> ClaimAsync(CoreHarness harness, string instance)
    {
        await using var scope = harness.Host.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var claims = new DeliveryClaims(
            services.GetRequiredService<PaperBotDbContext>(), services.GetRequiredService<StorageDialect>(), Named(instance), harness.Clock, Options, NullLogger<DeliveryClaims>.Instance);
        return await claims.ClaimAsync(Channel.Telegram, 1, CancellationToken.None);
    }

    /// <summary>Writes results as the instance named <paramref name="instance"/>.</summary>
    private static async Task WriteAsync(CoreHarness harness, string instance, params DeliveryResult[] results)
    {
        await using var scope = harness.Host.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var writer = new DeliveryResults(
            services.GetRequiredService<PaperBotDbContext>(), services.GetRequiredService<StorageDialect>(), services.GetRequiredService<ChatLifecycle>(), Named(instance), harness.Clock,
            Options);
        await writer.WriteAsync(Channel.Telegram, results, CancellationToken.None);
    }

    private static InstanceIdentity Named(string name) => new(Microsoft.Extensions.Options.Options.Create(new DeliveryOptions { InstanceId = name }));

    /// <summary>A reader subscribed and an issue published; "first" claimed its delivery, lost it to the lease, and "second" claimed it.</summary>
    private static async Task<(int PushId, ClaimedDelivery First, ClaimedDelivery Second)> TakenOverAsync(CoreHarness harness)
    {
        await harness.SendAsync("/start", user: "reader");
        var pushId = await PublishNextWeekAsync(harness);
        var first = Assert.Single((await ClaimAsync(harness, "first")).Deliveries);
        harness.Clock.Advance(Options.Value.ClaimLease + TimeSpan.FromSeconds(1));
        var second = Assert.Single((await ClaimAsync(harness, "second")).Deliveries);
        return (pushId, first, second);
    }

    // The first instance lost its database for longer than the claim lease; the second claimed the delivery meanwhile
    // and is sending it. What the first then writes about its batch (the part it handed back, a send to try again)
    // must not clear the second's claim, or a third instance claims the delivery and the chat gets a second copy.
    [SkippableFact]
    public async Task ResultsWrittenAfterTheLeaseRanOutLeaveTheDeliveryToTheInstanceThatTookItOver()
    {
        await using var harness = await StartAsync(settings: Settings);
        var (pushId, first, second) = await TakenOverAsync(harness);
        Assert.Equal(first.Id, second.Id);

        await WriteAsync(harness, "first", new DeliveryResult(first, null));
        Assert.Empty((await ClaimAsync(harness, "third")).Deliveries);
        await WriteAsync(harness, "first", new DeliveryResult(first, new SendOutcome.Transient("HTTP 502 from the Bot API")));
        var held = await harness.QueryAsync(db => db.Deliveries.AsNoTracking().SingleAsync(d => d.PushId == pushId));
        Assert.Equal(("second", DeliveryStatus.Pending, 0), (held.ClaimedBy, held.Status, held.Attempts));

        await WriteAsync(harness, "second", new DeliveryResult(second, new SendOutcome.Delivered(), 1));
        var sent = await harness.QueryAsync(db => db.Deliveries.AsNoTracking().SingleAsync(d => d.PushId == pushId));
        Assert.Equal((DeliveryStatus.Sent, (string?)null), (sent.Status, sent.ClaimedBy));
    }

    // Both instances' sends went out without an answer, so either may have arrived: the first's, written late, still
    // counts, and the second's no answer fails the delivery ("it may have arrived") instead of sending a third copy.
    [SkippableFact]
    public async Task ASendThatMayHaveArrivedStillCountsWhenItsResultIsWrittenAfterAnotherInstanceTookTheDeliveryOver()
    {
        await using var harness = await StartAsync(settings: Settings);
        var (pushId, first, second) = await TakenOverAsync(harness);
        await WriteAsync(harness, "first", new DeliveryResult(first, new SendOutcome.Ambiguous("connection reset")));
        await WriteAsync(harness, "second", new DeliveryResult(second, new SendOutcome.Ambiguous("connection reset")));

        var delivery = await harness.QueryAsync(db => db.Deliveries.AsNoTracking().SingleAsync(d => d.PushId == pushId));
        Assert.Equal((DeliveryStatus.Failed, 2), (delivery.Status, delivery.AmbiguousSends));
        Assert.Contains("it may have arrived", delivery.LastError, StringComparison.Ordinal);
    }

    // The first instance's send failed for good (the message refused, the chat gone) but its result is written late,
    // after the second took the delivery over and got it to the chat. Whichever result is written first, the delivery
    // ends sent: a failure never overwrites a delivered row, and a delivered result counts over a failure written first.
    [SkippableTheory]
    [InlineData("failed", true)]
    [InlineData("failed", false)]
    [InlineData("blocked", true)]
    [InlineData("blocked", false)]
    public async Task AFailureWrittenAfterTheLeaseRanOutNeverOverwritesTheDeliveryTheInstanceThatTookItOverDelivered(string failure, bool deliveredFirst)
    {
        await using var harness = await StartAsync(settings: Settings);
        var (pushId, first, second) = await TakenOverAsync(harness);
        SendOutcome late = failure == "failed" ? new SendOutcome.Failed("Bad Request: message is too long") : new SendOutcome.ChatGone("Forbidden: bot was blocked by the user");
        if (deliveredFirst)
        {
            await WriteAsync(harness, "second", new DeliveryResult(second, new SendOutcome.Delivered(), 1));
            await WriteAsync(harness, "first", new DeliveryResult(first, late));
        }
        else
        {
            await WriteAsync(harness, "first", new DeliveryResult(first, late));
            await WriteAsync(harness, "second", new DeliveryResult(second, new SendOutcome.Delivered(), 1));
        }

        var delivery = await harness.QueryAsync(db => db.Deliveries.AsNoTracking().SingleAsync(d => d.PushId == pushId));
        Assert.Equal((DeliveryStatus.Sent, (string?)null, (string?)null), (delivery.Status, delivery.LastError, delivery.ClaimedBy));
        Assert.NotNull(delivery.SentAt);
        var tally = await harness.QueryAsync(db => db.PushTallies.AsNoTracking().SingleAsync(t => t.PushId == pushId));
        Assert.Equal((0, 1, 0, 0), (tally.Pending, tally.Sent, tally.Failed, tally.Blocked));
        Assert.NotNull(await harness.QueryAsync(db => db.Pushes.Where(p => p.Id == pushId).Select(p => p.CompletedAt).SingleAsync()));
    }

    // The first instance's send found the chat gone (or Telegram said so by mistake), but its result is written late,
    // after the second took the delivery over and got the issue to the chat. The chat is there: the reader is not
    // stopped by the late result, whichever is written first, and gets next week's issue. A chat gone for a send of the
    // instance that holds the delivery still stops the reader.
    [SkippableTheory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task AChatGoneWrittenAfterTheLeaseRanOutDoesNotStopAReaderTheInstanceThatTookItOverReached(bool deliveredFirst)
    {
        await using var harness = await StartAsync(settings: Settings);
        var (_, first, second) = await TakenOverAsync(harness);
        var blocked = new DeliveryResult(first, new SendOutcome.ChatGone("Forbidden: bot was blocked by the user"));
        var delivered = new DeliveryResult(second, new SendOutcome.Delivered(), 1);
        await WriteAsync(harness, deliveredFirst ? "second" : "first", deliveredFirst ? delivered : blocked);
        await WriteAsync(harness, deliveredFirst ? "first" : "second", deliveredFirst ? blocked : delivered);

        Assert.Equal(SubscriberStatus.Active, (await harness.SubscriberAsync("reader"))!.Status);
        var nextWeek = await PublishNextWeekAsync(harness, "超越 LSTM");
        var next = Assert.Single((await ClaimAsync(harness, "second")).Deliveries);
        Assert.Equal(nextWeek, next.PushId);

        await WriteAsync(harness, "second", new DeliveryResult(next, new SendOutcome.ChatGone("Forbidden: bot was blocked by the user")));
        Assert.Equal(SubscriberStatus.Blocked, (await harness.SubscriberAsync("reader"))!.Status);
        var delivery = await harness.QueryAsync(db => db.Deliveries.AsNoTracking().SingleAsync(d => d.PushId == nextWeek));
        Assert.Equal(DeliveryStatus.Blocked, delivery.Status);
    }

    // The first instance's claim ran out while its database was away, and nobody took the delivery meanwhile: its chat
    // gone still ends the delivery blocked and stops the reader.
    [SkippableFact]
    public async Task AChatGoneWrittenAfterTheLeaseRanOutOfADeliveryNobodyTookOverStopsTheReader()
    {
        await using var harness = await StartAsync(settings: Settings);
        await harness.SendAsync("/start", user: "reader");
        var pushId = await PublishNextWeekAsync(harness);
        var first = Assert.Single((await ClaimAsync(harness, "first")).Deliveries);
        harness.Clock.Advance(Options.Value.ClaimLease + TimeSpan.FromSeconds(1));

        await WriteAsync(harness, "first", new DeliveryResult(first, new SendOutcome.ChatGone("Forbidden: bot was blocked by the user")));
        Assert.Equal(SubscriberStatus.Blocked, (await harness.SubscriberAsync("reader"))!.Status);
        Assert.Equal(DeliveryStatus.Blocked, await harness.QueryAsync(db => db.Deliveries.Where(d => d.PushId == pushId).Select(d => d.Status).SingleAsync()));
    }

    // The admin resends the issue while the push's send to a chat is out, its fifth try: the resend starts its attempts
    // again, so the send's failure is its first of five, not the last, and it is tried again instead of given up on.
    [SkippableFact]
    public async Task ASendThatFailsAfterAResendStartedItsAttemptsAgainIsTriedAgain()
    {
        await using var harness = await StartAsync(settings: Settings);
        await harness.SendAsync("/start", user: "reader");
        var pushId = await PublishNextWeekAsync(harness);
        var issueId = await harness.QueryAsync(db => db.Pushes.Where(p => p.Id == pushId).Select(p => p.IssueId!.Value).SingleAsync());
        await harness.QueryAsync(db => db.Deliveries.Where(d => d.PushId == pushId).ExecuteUpdateAsync(d => d.SetProperty(x => x.Attempts, Options.Value.MaxAttempts - 1)));

        var claimed = Assert.Single((await ClaimAsync(harness, "first")).Deliveries);
        var reply = await harness.SendAsync($"/resend {issueId}", user: CoreHarness.AdminId, language: "en");
        Assert.Equal($"Issue {issueId}: 1 failed or unsent deliveries queued again.", reply.ToPlainText());
        await WriteAsync(harness, "first", new DeliveryResult(claimed, new SendOutcome.Transient("HTTP 502 from the Bot API")));

        var delivery = await harness.QueryAsync(db => db.Deliveries.AsNoTracking().SingleAsync(d => d.PushId == pushId));
        Assert.Equal((DeliveryStatus.Pending, 1, "HTTP 502 from the Bot API"), (delivery.Status, delivery.Attempts, delivery.LastError));
    }
}

public sealed class LateResultTestsOnPostgres : LateResultTests
{
    protected override string Provider => StorageOptions.Postgres;
}
