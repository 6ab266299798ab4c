using System.Text.RegularExpressions;
using PaperBot.Core.Configuration;

namespace PaperBot.Channels.Telegram;

/// <summary>The <c>Telegram</c> section. An empty <see cref="BotToken"/> turns the channel off.</summary>
public sealed partial class TelegramOptions : IValidatedOptions
{
    public const string Section = "Telegram";
    public const string DefaultApiBaseUrl = "https://api.telegram.org";

    /// <summary>The token @BotFather gives, <c>123456:ABC…</c>. It is part of every Bot API URL, so it never goes to a log.</summary>
    public string BotToken { get; set; } = "";

    /// <summary>The Bot API server: Telegram's, a self-hosted telegram-bot-api, or a test double.</summary>
    public string ApiBaseUrl { get; set; } = DefaultApiBaseUrl;

    /// <summary>The full public URL of <c>POST /telegram/webhook</c>; empty = long polling.</summary>
    public string WebhookUrl { get; set; } = "";

    /// <summary>Sent back by Telegram in <c>X-Telegram-Bot-Api-Secret-Token</c> with every webhook request.</summary>
    public string WebhookSecret { get; set; } = "";

    /// <summary>Channels (<c>-1001234567890</c> or <c>@name</c>) that each published issue is also posted to.</summary>
    public List<string> Channels { get; set; } = [];

    /// <summary>Pushes are sent with <c>allow_paid_broadcast</c>: up to 1,000 messages a second, paid in Stars.</summary>
    public bool AllowPaidBroadcast { get; set; }

    /// <summary>Telegram's ceiling for paid broadcasts (allow_paid_broadcast), in messages a second.</summary>
    public const double PaidBroadcastMessagesPerSecond = 1000;

    /// <summary>How long one getUpdates call waits for an update in polling mode.</summary>
    public int PollingTimeoutSeconds { get; set; } = 50;

    public bool Enabled => BotToken.Length > 0;

    public bool UsesWebhook => WebhookUrl.Length > 0;

    public IEnumerable<string> Validate()
    {
        // The token itself is never echoed: a configuration error is printed to the console.
        if (BotToken.Length > 0 && !TokenShape().IsMatch(BotToken))
            yield return "Telegram:BotToken does not look like a token from @BotFather (digits, a colon, then letters, digits, _ and -)";
        if (!(Uri.TryCreate(ApiBaseUrl, UriKind.Absolute, out var api) && api.Scheme is "http" or "https"))
            yield return $"Telegram:ApiBaseUrl must be an absolute http(s) URL, not '{ApiBaseUrl}'";
        if (WebhookUrl.Length > 0)
        {
            if (!Uri.TryCreate(WebhookUrl, UriKind.Absolute, out var hook) || !(hook.Scheme == "https" || (hook.Scheme == "http" && IsLoopback(hook))))
                yield return $"Telegram:WebhookUrl must be an absolute https URL (http only for localhost), not '{WebhookUrl}'";
            if (WebhookSecret.Length == 0)
                yield return "Telegram:WebhookSecret is required with Telegram:WebhookUrl (1-256 characters: A-Z, a-z, 0-9, _ and -)";
        }

        if (WebhookSecret.Length > 0 && !SecretShape().IsMatch(WebhookSecret))
            yield return "Telegram:WebhookSecret must be 1-256 characters of A-Z, a-z, 0-9, _ and - (the Bot API's secret_token)";
        foreach (var (channel, index) in Channels.Select((channel, index) => (channel, index)))
        {
            if (!ChannelShape().IsMatch(channel))
                yield return $"Telegram:Channels:{index} must be a channel id such as -1001234567890 or a public @name, not '{channel}'";
        }

        if (PollingTimeoutSeconds is < 1 or > 50)
            yield return $"Telegram:PollingTimeoutSeconds must be between 1 and 50, not {PollingTimeoutSeconds}";
    }

    private static bool IsLoopback(Uri uri) => uri.IsLoopback || uri.Host == "localhost";

    [GeneratedRegex(@"^[0-9]+:[A-Za-z0-9_-]+$")]
    private static partial Regex TokenShape();

    [GeneratedRegex(@"^[A-Za-z0-9_-]{1,256}$")]
    private static partial Regex SecretShape();

    [GeneratedRegex(@"^(-?[0-9]{1,20}|@[A-Za-z][A-Za-z0-9_]{3,31})$")]
    private static partial Regex ChannelShape();
}
