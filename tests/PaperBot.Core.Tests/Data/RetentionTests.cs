using PaperBot.Core.Data;
using PaperBot.Core.Subscribers;

namespace PaperBot.Core.Tests.Data;

/// <summary>
/// docs/delivery.md, Housekeeping: Retention__Days prunes "console visitors not seen since" — only those: a visitor seen
/// within the retention, and a reader of another channel however long ago they wrote, stay.
/// </summary>
public class RetentionTests : StorageTests
{
    [SkippableFact]
    public async Task ConsoleVisitorsNotSeenWithinTheRetentionAreForgottenAndNobodyElse()
    {
        await using var harness = await StartAsync();
        await harness.SendAsync("/topics add long-context", user: "gone-browser", channel: Channel.Web);
        await harness.SendAsync("/topics add moe", user: "old-reader", channel: Channel.Telegram);
        harness.Clock.Advance(TimeSpan.FromDays(new RetentionOptions().Days + 1));
        await harness.SendAsync("/topics add moe", user: "recent-browser", channel: Channel.Web);

        var pruned = await harness.UseAsync<Housekeeping, Housekeeping.Pruned>(h => h.PruneAsync(CancellationToken.None));

        Assert.Equal(1, pruned.Visitors);
        Assert.Null(await harness.SubscriberAsync("gone-browser", Channel.Web));
        Assert.Equal(SubscriberStatus.Visitor, (await harness.SubscriberAsync("recent-browser", Channel.Web))?.Status);
        Assert.Equal(["moe"], (await harness.SubscriberAsync("old-reader"))!.Topics.Select(t => t.Topic));
    }
}

public sealed class RetentionTestsOnPostgres : RetentionTests
{
    protected override string Provider => StorageOptions.Postgres;
}
