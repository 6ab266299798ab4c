using Microsoft.Extensions.Options;
using PaperBot.Core.Commands;
using PaperBot.Core.Configuration;
using PaperBot.Core.Sending;
using PaperBot.Core.Subscribers;
using Telegram.Bot;

namespace PaperBot.Channels.Telegram;

public static class TelegramRegistration
{
    public const string HttpClientName = "telegram";

    /// <summary>
    /// The Telegram channel: options, the Bot API client, update handling, the push sender and the receiving service.
    /// With an empty Telegram:BotToken only the options are checked and the service logs how to turn it on.
    /// </summary>
    public static IHostApplicationBuilder AddTelegram(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddValidatedOptions<TelegramOptions>(TelegramOptions.Section);
        services.AddSingleton<TelegramIdentity>();
        services.AddSingleton<TelegramPacing>();
        // Hosts stop their services in reverse order: polling stops first, then the updates still being handled are waited for.
        services.AddSingleton<TelegramUpdates>();
        services.AddHostedService(sp => sp.GetRequiredService<TelegramUpdates>());
        services.AddHostedService<TelegramBot>();

        // The token is in every request URL (/bot<token>/sendMessage): the factory's request logging would print it.
        services.AddHttpClient(HttpClientName)
            .RemoveAllLoggers()
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) });
        services.AddSingleton<ITelegramBotClient>(sp =>
        {
            var settings = sp.GetRequiredService<IOptions<TelegramOptions>>().Value;
            if (!settings.Enabled)
                throw new InvalidOperationException("telegram: off; set Telegram__BotToken to use the Bot API");
            // Telegram.Bot would sleep through a 429 on its own; pushes hand it to the sending engine and replies retry once.
            var clientOptions = new TelegramBotClientOptions(settings.BotToken, settings.ApiBaseUrl.TrimEnd('/')) { RetryThreshold = 0 };
            return new TelegramBotClient(clientOptions, sp.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName));
        });

        services.AddScoped<TelegramUpdateHandler>();
        services.AddScoped<TelegramChats>();
        services.AddScoped<TelegramReplies>();
        if (builder.Configuration.GetSection(TelegramOptions.Section)[nameof(TelegramOptions.BotToken)] is { Length: > 0 })
        {
            services.AddSingleton<IChannelSender, TelegramSender>();
            services.AddSingleton<IGroupAdministrators, TelegramGroupAdministrators>();
            services.AddHostedService<TelegramProgress>();
        }

        // Paid broadcasts lift the channel to Telegram's paid ceiling, unless the operator already removed the limit.
        services.AddOptions<DeliveryOptions>().PostConfigure<IOptions<TelegramOptions>>((delivery, telegram) =>
        {
            if (telegram.Value.AllowPaidBroadcast && delivery.MessagesPerSecond > 0)
                delivery.ChannelRates[Channel.Telegram] = TelegramOptions.PaidBroadcastMessagesPerSecond;
        });
        return builder;
    }

    public static WebApplication MapTelegram(this WebApplication app)
    {
        app.MapTelegramWebhook();
        return app;
    }
}
