using System.Globalization;
using PaperBot.Core.Sending;
using Telegram.Bot.Exceptions;

namespace PaperBot.Channels.Telegram;

/// <summary>
/// What a failed Bot API call means, as a channel-neutral <see cref="SendOutcome"/> — the only place Telegram's errors
/// are read. Telegram answers with an error_code and a description: 403 the bot was blocked or removed; 429 slow down
/// for parameters.retry_after seconds; 400 with parameters.migrate_to_chat_id a group became a supergroup; other 400s
/// are about this message; 401 (and 404 for the whole bot URL) the token is not valid. A call that got no answer may
/// have been executed: only a connection that could not be made proves it was not.
/// </summary>
public static class TelegramErrors
{
    /// <summary>400 descriptions that mean the chat is gone for good, not that this message was wrong.</summary>
    private static readonly string[] GoneChat = ["chat not found", "bot was kicked", "user is deactivated", "bot was blocked"];

    /// <summary>400 descriptions that mean the forum topic a message was sent to is deleted, closed or never was one.</summary>
    private static readonly string[] GoneTopic = ["message thread not found", "TOPIC_CLOSED", "TOPIC_DELETED"];

    /// <param name="isGroup">Whether the call went to a group: its 429 is about its own 20 a minute, not the whole bot.</param>
    /// <returns>The outcome, or null when <paramref name="error"/> is no failed call (a bug, or our own cancellation).</returns>
    public static SendOutcome? Classify(Exception error, bool isGroup, CancellationToken cancellationToken)
    {
        if (error is OperationCanceledException && cancellationToken.IsCancellationRequested)
            return null;
        return error switch
        {
            ApiRequestException { ErrorCode: 403 } api => new SendOutcome.ChatGone(Describe(api)),
            ApiRequestException { ErrorCode: 429 } api => new SendOutcome.RetryAfter(RetryAfter(api), isGroup ? RetryScope.Chat : RetryScope.Channel, Describe(api)),
            ApiRequestException { ErrorCode: 400, Parameters.MigrateToChatId: { } chat } => new SendOutcome.ChatMoved(chat.ToString(CultureInfo.InvariantCulture)),
            ApiRequestException { ErrorCode: 400 } api when IsGone(api) => new SendOutcome.ChatGone(Describe(api)),
            ApiRequestException { ErrorCode: 400 } api => new SendOutcome.Failed(Describe(api)),
            ApiRequestException { ErrorCode: 401 or 404 } api => new SendOutcome.ChannelDown($"the Bot API refused the token ({Describe(api)}); check Telegram__BotToken"),
            ApiRequestException { ErrorCode: >= 500 } api => new SendOutcome.Transient(Describe(api)),
            ApiRequestException api => new SendOutcome.Failed(Describe(api)),
            RequestException { HttpStatusCode: { } status } request when (int)status is 401 or 404 =>
                new SendOutcome.ChannelDown($"the Bot API refused the token ({Describe(request)}); check Telegram__BotToken"),
            RequestException { HttpStatusCode: { } status } request when (int)status is >= 400 and < 500 => new SendOutcome.Failed(Describe(request)),
            RequestException { HttpStatusCode: { } } request => new SendOutcome.Transient(Describe(request)),
            RequestException or HttpRequestException or TimeoutException or OperationCanceledException =>
                NeverLeft(error) ? new SendOutcome.Transient(Describe(error)) : new SendOutcome.Ambiguous(Describe(error)),
            _ => null,
        };
    }

    public static TimeSpan RetryAfter(ApiRequestException error) =>
        TimeSpan.FromSeconds(Math.Max(1, error.Parameters?.RetryAfter ?? 1));

    /// <summary>A short reason for logs and delivery records. Bot API descriptions never hold the token; transport errors might name the URL, so only their type and status go out.</summary>
    public static string Describe(Exception error) => error switch
    {
        ApiRequestException api => $"{api.ErrorCode} {api.Message}",
        RequestException { HttpStatusCode: { } status } => $"HTTP {(int)status} from the Bot API",
        RequestException { InnerException: { } inner } => $"{Innermost(inner).GetType().Name} talking to the Bot API",
        _ => $"{Innermost(error).GetType().Name} talking to the Bot API",
    };

    /// <summary>The connection was never made (refused, no such host, TLS failed): the request cannot have arrived.</summary>
    private static bool NeverLeft(Exception error)
    {
        for (var e = (Exception?)error; e is not null; e = e.InnerException)
        {
            if (e is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError or HttpRequestError.SecureConnectionError or HttpRequestError.ProxyTunnelError })
                return true;
        }

        return false;
    }

    private static Exception Innermost(Exception error)
    {
        while (error.InnerException is { } inner)
            error = inner;
        return error;
    }

    /// <summary>The call named a forum topic (message_thread_id) that cannot take messages: the chat itself still can.</summary>
    public static bool IsTopicGone(Exception error) =>
        error is ApiRequestException { ErrorCode: 400 } api && GoneTopic.Any(gone => api.Message.Contains(gone, StringComparison.OrdinalIgnoreCase));

    private static bool IsGone(ApiRequestException error) =>
        GoneChat.Any(gone => error.Message.Contains(gone, StringComparison.OrdinalIgnoreCase));
}
