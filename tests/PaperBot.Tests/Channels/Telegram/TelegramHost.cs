using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;

namespace PaperBot.Tests.Channels.Telegram;

public enum Receiving
{
    Polling,
    Webhook,
}

/// <summary>
/// The real host (PaperBotApp, real SQLite, the sample issue) talking to a <see cref="FakeBotApi"/> through the
/// real Telegram.Bot client. Updates arrive as Telegram would send them: queued for getUpdates in polling mode,
/// POSTed to /telegram/webhook with the secret header in webhook mode.
/// </summary>
public sealed class TelegramHost : IAsyncDisposable
{
    public const string Secret = "test-Secret_0123456789";
    public const string WebhookUrl = "https://bot.example.com/telegram/webhook";

    private TelegramHost(Receiving mode, FakeBotApi api, PaperBotApp app, HttpClient client)
    {
        Mode = mode;
        Api = api;
        App = app;
        Client = client;
    }

    public Receiving Mode { get; }
    public FakeBotApi Api { get; }
    public PaperBotApp App { get; }
    public HttpClient Client { get; }

    /// <param name="clock">The bot's clock, which also stamps the calls the fake receives; real time unless given.</param>
    public static async Task<TelegramHost> StartAsync(Receiving mode, IDictionary<string, string?>? settings = null, ILoggerProvider? logs = null, TimeProvider? clock = null)
    {
        var api = await FakeBotApi.StartAsync(clock);
        var all = new Dictionary<string, string?>
        {
            ["Telegram:BotToken"] = FakeBotApi.Token,
            ["Telegram:ApiBaseUrl"] = api.BaseUrl.ToString(),
            ["Telegram:PollingTimeoutSeconds"] = "5",
            ["Samples:ImportOnFirstStart"] = "true",
        };
        if (mode == Receiving.Webhook)
        {
            all["Telegram:WebhookUrl"] = WebhookUrl;
            all["Telegram:WebhookSecret"] = Secret;
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            all[key] = value;
        var app = new PaperBotApp(all);
        if (logs is not null)
            app.WithLogs(logs);
        if (clock is not null)
            app.WithService(clock);
        var host = new TelegramHost(mode, api, app, app.CreateClient());
        await api.WaitForAsync(calls => calls.Any(c => c.Method == (mode == Receiving.Polling ? "getUpdates" : "setWebhook")), "the bot to start receiving");
        return host;
    }

    /// <summary>Hands an update to the bot; returns its update_id.</summary>
    public async Task<int> DeliverAsync(JsonObject update)
    {
        if (Mode == Receiving.Polling)
            return Api.Enqueue(update);
        update["update_id"] ??= Api.NextUpdateId();
        var response = await PostWebhookAsync(update.ToJsonString(), Secret);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (int)update["update_id"]!;
    }

    /// <summary>Sends <paramref name="text"/> from a private chat and waits for the bot's answer.</summary>
    public async Task<BotCall> AskAsync(long chatId, string text, string language = "en")
    {
        var before = Api.SentTo(chatId).Count;
        await DeliverAsync(UpdateJson.Text(chatId, text, language: language));
        await Api.WaitForAsync(_ => Api.SentTo(chatId).Count > before, $"an answer to '{text}' in chat {chatId}");
        return Api.SentTo(chatId)[before];
    }

    /// <summary>
    /// Waits until every update delivered so far has been handled: a /help from another chat goes in after them
    /// (polling handles updates in order; a webhook POST returns once handled) and its answer comes out.
    /// </summary>
    public Task SettleAsync() => AskAsync(Sentinel, "/help");

    public const long Sentinel = 999_999;

    public Task<HttpResponseMessage> PostWebhookAsync(string body, string? secret)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/telegram/webhook") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (secret is not null)
            request.Headers.Add("X-Telegram-Bot-Api-Secret-Token", secret);
        return Client.SendAsync(request);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.DisposeAsync();
        await Api.DisposeAsync();
    }
}
