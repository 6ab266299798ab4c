using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PaperBot.Core.Issues;
using PaperBot.Core.Publishing;

namespace PaperBot.Tests.Channels.Telegram;

/// <summary>An admin's publish preview in Telegram, pressed after the issue went out some other way.</summary>
public sealed class TelegramPublishButtonTests
{
    private const long Admin = 777_002;

    [Theory]
    [InlineData(Receiving.Polling)]
    [InlineData(Receiving.Webhook)]
    public async Task CancelOnAPreviewOfAnIssueThatWentOutMeanwhileSaysItWasPublished(Receiving mode)
    {
        await using var host = await TelegramHost.StartAsync(mode, new Dictionary<string, string?> { ["Admins:Telegram:0"] = Admin.ToString(CultureInfo.InvariantCulture) });
        var draft = await ImportDraftAsync(host);
        var preview = await host.AskAsync(Admin, $"/publish {draft}");
        Assert.Contains((Text: "✖ Cancel", Url: (string?)null, Data: (string?)$"u:no:{draft}"), preview.Buttons);

        // The weekly schedule, or another admin, publishes it while this preview is still open.
        await using (var scope = host.App.Services.CreateAsyncScope())
            Assert.IsType<PublishOutcome.Published>(await scope.ServiceProvider.GetRequiredService<IssuePublisher>().PublishAsync(draft, "schedule", CancellationToken.None));
        await host.DeliverAsync(UpdateJson.Button(Admin, preview.MessageId!.Value, $"u:no:{draft}"));
        var answer = await host.Api.WaitForCallAsync("editMessageText", c => c["message_id"] == preview.MessageId.Value.ToString(CultureInfo.InvariantCulture), "the preview replaced");

        Assert.StartsWith($"Issue {draft} was already published on ", answer.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("was not published", answer.Text, StringComparison.Ordinal);
        Assert.Equal(IssueStatus.Published, await host.App.QueryAsync(db => db.Issues.Where(i => i.Id == draft).Select(i => i.Status).SingleAsync()));
    }

    private static async Task<int> ImportDraftAsync(TelegramHost host)
    {
        var text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "samples", "digest-sample.txt")).Replace("超越 Transformer", "超越 RNN", StringComparison.Ordinal);
        await using var scope = host.App.Services.CreateAsyncScope();
        var outcome = await scope.ServiceProvider.GetRequiredService<IssueImporter>().ImportAsync(text, null, "test", CancellationToken.None, fetchMetadata: false);
        return Assert.IsType<ImportOutcome.Imported>(outcome).IssueId;
    }
}
