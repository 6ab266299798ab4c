using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PaperBot.Core.Issues;
using PaperBot.Core.Publishing;
using PaperBot.Core.Subscribers;
using PaperBot.TestServices;
using PaperBot.Tests.Admin;
using PaperBot.Tests.Channels.Telegram;

namespace PaperBot.Tests.Sending;

/// <summary>
/// docs/delivery.md, guarantee 6: when a channel is down, "the admin page, /stats and the log say why" — each of the
/// three, not only that it is down.
/// </summary>
public sealed class ChannelDownReasonTests
{
    [Fact]
    public async Task AChannelThatIsDownIsShownWithItsReasonOnTheAdminPageInStatsAndInTheLog()
    {
        using var logs = new LogCapture();
        await using var host = await TelegramHost.StartAsync(Receiving.Webhook, new Dictionary<string, string?>
        {
            ["Delivery:ProbeInterval"] = "00:01:00",
            ["Admin:Password"] = AdminSession.Password,
        }, logs);
        await SubscriberSeed.InsertAsync(host.App.DatabasePath, 4_100_000, 3);
        var admin = AdminSession.For(host.App);
        await admin.LogInAsync();

        host.Api.TokenRevoked = true;
        await PublishNextWeekAsync(host.App);
        await Eventually.AssertAsync(
            () => host.App.QueryAsync(db => db.ChannelThrottles.AnyAsync(t => t.Channel == Channel.Telegram && t.DownSince != null)), "the channel to be marked down");

        var why = await host.App.QueryAsync(db => db.ChannelThrottles.Where(t => t.Channel == Channel.Telegram).Select(t => t.DownReason).SingleAsync()) ?? "";
        Assert.StartsWith("the Bot API refused the token (", why, StringComparison.Ordinal);
        Assert.EndsWith("); check Telegram__BotToken", why, StringComparison.Ordinal);

        var page = WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Replace(await admin.Client.GetStringAsync("/admin"), "<[^>]+>", ""));
        var stats = (await admin.Client.ChatAsync("/stats")).Replies[0].Text;

        Assert.Contains("Telegram is down since", page, StringComparison.Ordinal);
        Assert.Contains(why, page, StringComparison.Ordinal);
        Assert.Contains("Telegram is DOWN since", stats, StringComparison.Ordinal);
        Assert.Contains($": {why} (pushes wait; nobody is failed;", stats, StringComparison.Ordinal);
        Assert.True(await logs.WaitForAsync($"delivery: Telegram is down ({why}); pushes wait and nobody is failed"), logs.Text);
    }

    private static async Task PublishNextWeekAsync(PaperBotApp app)
    {
        var text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "samples", "digest-sample.txt")).Replace("超越 Transformer", "超越 RNN", StringComparison.Ordinal);
        await using var scope = app.Services.CreateAsyncScope();
        var imported = Assert.IsType<ImportOutcome.Imported>(await scope.ServiceProvider.GetRequiredService<IssueImporter>().ImportAsync(text, null, "test", CancellationToken.None));
        Assert.IsType<PublishOutcome.Published>(await scope.ServiceProvider.GetRequiredService<IssuePublisher>().PublishAsync(imported.IssueId, "test", CancellationToken.None));
    }
}
