using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PaperBot.Core.Issues;
using PaperBot.Core.Publishing;
using PaperBot.Core.Sending;
using PaperBot.TestServices;
using PaperBot.Tests.Channels.Telegram;

namespace PaperBot.Tests.Sending;

/// <summary>
/// README: "/metrics serves Prometheus metrics (messages sent and failed by channel, queue depth, send latency)" — the
/// failed sends and the queue depth as well as the sent ones (<c>TelegramPushTests.MetricsCountMessagesSentByChannel</c>).
/// </summary>
public sealed class DeliveryMetricsTests
{
    [Fact]
    public async Task MetricsCountFailedSendsByChannelAndOutcomeAndShowTheQueueDepth()
    {
        await using var host = await TelegramHost.StartAsync(Receiving.Polling, new Dictionary<string, string?> { ["Delivery:MessagesPerSecond"] = "0" });
        foreach (var chat in new long[] { 4_320_001, 4_320_002, 4_320_003 })
            await host.AskAsync(chat, "/start");
        host.Api.FailNext("sendMessage", FakeAnswer.Blocked);

        await using (var scope = host.App.Services.CreateAsyncScope())
        {
            var text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "samples", "digest-sample.txt")).Replace("超越 Transformer", "超越 RNN", StringComparison.Ordinal);
            var imported = Assert.IsType<ImportOutcome.Imported>(await scope.ServiceProvider.GetRequiredService<IssueImporter>().ImportAsync(text, null, "test", CancellationToken.None));
            Assert.IsType<PublishOutcome.Published>(await scope.ServiceProvider.GetRequiredService<IssuePublisher>().PublishAsync(imported.IssueId, "test", CancellationToken.None));
        }
        await Eventually.AssertAsync(async () => !await host.App.QueryAsync(db => db.Deliveries.AnyAsync(d => d.Status == DeliveryStatus.Pending)), "the push to finish");

        var metrics = "";
        await Eventually.AssertAsync(
            async () => (metrics = await host.Client.GetStringAsync("/metrics")).Contains("paperbot_messages_failed", StringComparison.Ordinal)
                && System.Text.RegularExpressions.Regex.IsMatch(metrics, "paperbot_queue_depth[a-z_]*\\{[^}]*channel=\"telegram\"[^}]*\\} 0"),
            "the metrics to show the failed send and the emptied queue");
        Assert.Matches("paperbot_messages_failed[a-z_]*\\{(?=[^}]*channel=\"telegram\")(?=[^}]*outcome=\"chatgone\")[^}]*\\} 1\\b", metrics);
        Assert.Matches("paperbot_messages_sent[a-z_]*\\{[^}]*channel=\"telegram\"[^}]*\\} 2\\b", metrics);
    }
}
