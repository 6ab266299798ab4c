using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using PaperBot.Channels.WeChat.Articles;
using PaperBot.Core.Configuration;
using PaperBot.Core.Sending;
using PaperBot.Core.Subscribers;
using PaperBot.Web;
using PaperBot.WeChat;

namespace PaperBot.Channels.WeChat;

public static class WeChatRegistration
{
    public const string HttpClientName = "wechat";

    /// <summary>
    /// The WeChat channel: options, the server URL's handlers, the API client, the push sender and the menu.
    /// With an empty WeChat:Token only the start-up line that says how to turn it on is registered.
    /// </summary>
    public static IHostApplicationBuilder AddWeChat(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        builder.AddWeChatArticles();
        services.AddHostedService<WeChatStartup>();
        if (!WeChatOptions.IsEnabled(builder.Configuration))
            return builder;

        services.AddSingleton<WeChatEnvelope>();
        services.AddSingleton<WeChatFollowUps>();
        services.AddHostedService(sp => sp.GetRequiredService<WeChatFollowUps>());
        services.AddSingleton<WeChatMassSendReports>();
        services.AddScoped<WeChatWebhook>();
        services.AddScoped<WeChatReceipts>();
        services.AddScoped<WeChatNonces>();
        services.AddScoped<WeChatOffers>();
        services.AddScoped<WeChatConversation>();
        services.AddSingleton<IChannelSender, WeChatSender>();
        // Read from configuration, not IOptions<WeChatOptions>: its validation problems are reported once, by its own ValidateOnStart.
        services.AddOptions<DeliveryOptions>().PostConfigure<IConfiguration>((delivery, configuration) =>
        {
            var mode = Enum.TryParse<WeChatPushMode>(configuration.GetSection(WeChatOptions.Section)[nameof(WeChatOptions.PushMode)], ignoreCase: true, out var configured)
                ? configured
                : WeChatPushMode.OnNextMessage;
            if (RateFor(mode, delivery) is { } rate)
                delivery.ChannelRates[Channel.WeChat] = rate;
        });

        return builder;
    }

    /// <summary>
    /// What the command line shares with the bot: the options, the API client (when the AppSecret is set) and the
    /// article (renderer, cover, publisher). Nothing here starts work or loads a native library at start.
    /// </summary>
    public static IHostApplicationBuilder AddWeChatArticles(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddValidatedOptions<WeChatOptions>(WeChatOptions.Section);
        services.AddValidatedOptions<WebOptions>(WebOptions.Section);
        services.TryAddSingleton<ArticleRenderer>();
        services.TryAddSingleton<ArticleCover>();
        services.TryAddSingleton<ArticlePublisher>();
        if (WeChatOptions.HasApiIn(builder.Configuration))
        {
            // The AppSecret (token request) and the access token (every other call) are query parameters:
            // the factory's request logging would print them.
            services.AddHttpClient(HttpClientName, http => http.Timeout = TimeSpan.FromSeconds(20)).RemoveAllLoggers();
            services.TryAddSingleton<IWeChatAccessTokenStore, DatabaseAccessTokenStore>();
            services.TryAddSingleton(sp =>
            {
                var settings = sp.GetRequiredService<IOptions<WeChatOptions>>().Value;
                return new WeChatApiClient(
                    sp.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName),
                    new WeChatApiOptions { BaseUrl = new Uri(settings.ApiBaseUrl), AppId = settings.AppId, AppSecret = settings.AppSecret },
                    sp.GetRequiredService<IWeChatAccessTokenStore>(),
                    sp.GetRequiredService<TimeProvider>(),
                    sp.GetRequiredService<ILogger<WeChatApiClient>>());
            });
        }

        return builder;
    }

    public static WebApplication MapWeChat(this WebApplication app)
    {
        if (!WeChatOptions.IsEnabled(app.Configuration))
            return app;
        app.MapGet(WeChatWebhook.Path, (HttpRequest request, WeChatWebhook webhook, CancellationToken cancellationToken) => webhook.VerifyAsync(request, cancellationToken));
        app.MapPost(WeChatWebhook.Path, (HttpRequest request, WeChatWebhook webhook, CancellationToken cancellationToken) => webhook.ReceiveAsync(request, cancellationToken))
            .DisableAntiforgery();
        return app;
    }

    /// <summary>
    /// The WeChat channel's send rate by push mode: no API calls to pace when pushes wait for the next message;
    /// in mass send, one claim of deliveries (one call per distinct content) a second, within the 60 calls a minute
    /// Tencent allows. Customer-service messages keep Delivery:MessagesPerSecond.
    /// </summary>
    private static double? RateFor(WeChatPushMode mode, DeliveryOptions delivery) => mode switch
    {
        WeChatPushMode.OnNextMessage => 0,
        WeChatPushMode.MassSend => Math.Min(delivery.MaxBatch, WeChatApiClient.MaxMassSendRecipients),
        // One article for the whole push: nothing per recipient to pace.
        WeChatPushMode.Article => 0,
        _ => null,
    };
}
