using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using PaperBot.Core.Data;
using PaperBot.Core.Subscribers;
using PaperBot.TestServices;
using PaperBot.Tests.Channels.Telegram;

namespace PaperBot.Tests.Hosting;

/// <summary>
/// docs/telegram.md: the webhook answers "503 for the seconds after start before the bot knows its own name (Telegram
/// simply retries)". Until getMe has answered, the bot cannot tell a command addressed to it in a group
/// (/paper@PaperDigestBot) from one for another bot, so it must not take the update in, nor record it as received.
/// </summary>
public sealed class TelegramWebhookStartTests
{
    private const long Reader = 4_310_001;
    private const string ReaderChat = "4310001";

    [Fact]
    public async Task AnUpdateBeforeTheBotKnowsItsNameGets503AndIsTakenWhenTelegramDeliversItAgain()
    {
        await using var api = await FakeBotApi.StartAsync();
        api.HoldAfter("getMe", 0); // unanswered until released: the bot does not know its name yet
        using var app = new PaperBotApp(new Dictionary<string, string?>
        {
            ["Telegram:BotToken"] = FakeBotApi.Token,
            ["Telegram:ApiBaseUrl"] = api.BaseUrl.ToString(),
            ["Telegram:WebhookUrl"] = TelegramHost.WebhookUrl,
            ["Telegram:WebhookSecret"] = TelegramHost.Secret,
        });
        var client = app.CreateClient();
        var update = UpdateJson.Text(Reader, "/start");
        update["update_id"] = 77;

        var early = await PostAsync(client, update.ToJsonString());

        Assert.Equal(HttpStatusCode.ServiceUnavailable, early.StatusCode);
        Assert.Equal(0, await app.CountAsync<InboundReceipt>());
        Assert.Empty(api.CallsTo("sendMessage"));

        api.Release("getMe");
        await api.WaitForAsync(calls => calls.Any(c => c.Method == "setWebhook"), "the bot to set its webhook");
        var again = await PostAsync(client, update.ToJsonString());

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        await Eventually.AssertAsync(
            () => app.QueryAsync(db => db.Subscribers.AnyAsync(s => s.Channel == Channel.Telegram && s.ChatId == ReaderChat && s.Status == SubscriberStatus.Active)),
            "the reader to be subscribed by the update delivered again");
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, string body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/telegram/webhook") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Telegram-Bot-Api-Secret-Token", TelegramHost.Secret);
        return client.SendAsync(request);
    }
}
