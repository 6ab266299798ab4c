using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using PaperBot.Core.Data;
using PaperBot.TestServices;

namespace PaperBot.Tests.Channels.Telegram;

/// <summary>What a reader loses when the bot is stopped for a deploy (SIGTERM: the host's StopAsync) while answering.</summary>
public sealed class TelegramStopTests
{
    // A group gets one message every three seconds: the second /help waits for its turn when the stop comes. Its update
    // is recorded as received, so after a restart Telegram's redelivery would be dropped; the answer has to go out now.
    [Theory]
    [InlineData(Receiving.Polling)]
    [InlineData(Receiving.Webhook)]
    public async Task AnAnswerWaitingForItsTurnWhenTheHostStopsIsSentBeforeTheHostEnds(Receiving mode)
    {
        const long group = -4077;
        await using var host = await TelegramHost.StartAsync(mode);
        await host.DeliverAsync(UpdateJson.Text(group, "/help"));
        await host.Api.WaitForMessageAsync(group);

        var second = UpdateJson.Text(group, "/help");
        Task<HttpResponseMessage>? posted = null;
        if (mode == Receiving.Polling)
        {
            host.Api.Enqueue(second);
        }
        else
        {
            second["update_id"] = host.Api.NextUpdateId();
            posted = host.PostWebhookAsync(second.ToJsonString(), TelegramHost.Secret);
        }

        Assert.True(await Eventually.HoldsAsync(async () => await host.App.CountAsync<InboundReceipt>() == 2), "the second /help is received");

        await host.App.Services.GetRequiredService<IHost>().StopAsync();

        await host.Api.WaitForAsync(_ => host.Api.SentTo(group).Count == 2, "the second answer", TimeSpan.FromSeconds(10));
        if (posted is not null)
            Assert.Equal(HttpStatusCode.OK, (await posted).StatusCode);
    }
}
