using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PaperBot.Channels.WeChat;
using PaperBot.Core.Data;
using PaperBot.Core.Sending;
using PaperBot.Core.Subscribers;
using PaperBot.TestServices;

namespace PaperBot.Tests.Channels.WeChat;

// What a reader's reply takes from the deliveries waiting for them, against the result writer on PostgreSQL.
public sealed class WeChatOffersOnPostgresTests
{
    // An instance whose claim ran out writes late that the issue waiting for the reader was delivered, and the reader's
    // message comes while the write holds the push's tallies: the reply waits for the write, and offers nothing, the
    // issue being delivered. Before, the reply's update took the delivery and waited for the tally the write held, the
    // write then waited for the delivery, and PostgreSQL aborted one of them in a deadlock (40P01).
    [SkippableFact]
    public async Task AReplyWhileALateDeliveredResultIsWrittenWaitsForItWithoutADeadlock()
    {
        Requirements.Postgres();
        await using var host = await WeChatHost.StartAsync(new Dictionary<string, string?> { ["WeChat:AppSecret"] = "", ["Storage:Provider"] = StorageOptions.Postgres });
        await host.FollowAsync("oAlice");
        var issue = await host.PublishNextIssueAsync();
        Assert.True(await host.DeliveryBecomesAsync("oAlice", issue, DeliveryStatus.Waiting));
        var delivery = await host.App.QueryAsync(db => db.DeliveriesOfIssue(issue).To(db, "oAlice").AsNoTracking().SingleAsync());
        var dialect = host.App.Services.GetRequiredService<StorageDialect>();
        var writerOptions = Options.Create(new DeliveryOptions { InstanceId = "writer" });
        var writes = new DeadlockProbe(pauseAfter: command => command.CommandText.Contains("FROM \"PushTallies\"", StringComparison.Ordinal) && command.CommandText.Contains("FOR UPDATE", StringComparison.Ordinal));
        var replies = new DeadlockProbe();
        await using var writerDb = new PostgresPaperBotDbContext(new DbContextOptionsBuilder<PostgresPaperBotDbContext>().UseNpgsql(dialect.ConnectionString).AddInterceptors(writes).Options);
        await using var replyDb = new PostgresPaperBotDbContext(new DbContextOptionsBuilder<PostgresPaperBotDbContext>().UseNpgsql(dialect.ConnectionString).AddInterceptors(replies).Options);
        await using var services = host.App.Services.CreateAsyncScope();
        var writer = new DeliveryResults(writerDb, dialect, services.ServiceProvider.GetRequiredService<ChatLifecycle>(), new InstanceIdentity(writerOptions), TimeProvider.System, writerOptions);
        var offers = ActivatorUtilities.CreateInstance<WeChatOffers>(services.ServiceProvider, replyDb);
        var claimed = new ClaimedDelivery(delivery.Id, delivery.PushId, delivery.Attempts, delivery.PartsSent, delivery.AmbiguousSends,
            new Recipient(delivery.SubscriberId, Channel.WeChat, "oAlice", ChatKind.Private, "zh"), new HashSet<string>());

        var write = writer.WriteAsync(Channel.WeChat, [new DeliveryResult(claimed, new SendOutcome.Delivered(), 1)], CancellationToken.None);
        await writes.Paused;
        var reply = offers.TakeAsync("oAlice", shownIssue: null, maxBytes: 2048, CancellationToken.None);
        await Eventually.AssertAsync(async () => await DeadlockProbe.SomeoneWaitsForALockAsync(dialect.ConnectionString), "the reply to wait for the result write");
        writes.Resume();
        var wrote = await Record.ExceptionAsync(() => write);
        var took = await Record.ExceptionAsync(() => reply);

        Assert.Equal((0, 0), (writes.Deadlocks, replies.Deadlocks));
        Assert.Null(wrote);
        Assert.Null(took);
        Assert.Null(await reply);
        Assert.Equal(DeliveryStatus.Sent, await host.DeliveryStatusAsync("oAlice", issue));
    }
}
