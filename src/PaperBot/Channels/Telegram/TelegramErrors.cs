using System.Globalization;
using PaperBot.Core.Sending;
using Telegram.Bot.Exceptions;

namespace PaperBot.Channels.Telegram;

/// <summary>
/// What a failed Bot API call means for the chat. Telegram answers with an error_code and a description:
/// 403 the bot was blocked or removed; 429 slow down for parameters.retry_after seconds; 400 with
/// parameters.migrate_to_chat_id a group became a supergroup; other 400s are about this message.
/// </summary>
public static class TelegramErrors
{
    /// <summary>400 descriptions that mean the chat is gone for good, not that this message was wrong.</summary>
    private static readonly string[] GoneChat = ["chat not found", "bot was kicked", "user is deactivated"];

    /// <returns>The outcome, or null when <paramref name="error"/> is no failed call (a bug, or our own cancellation).</returns>
    public static SendOutcome? Classify(Exception error, CancellationToken cancellationToken)
    {
        if (error is OperationCanceledException && cancellationToken.IsCancellationRequested)
            return null;
        return error switch
        {
            ApiRequestException { ErrorCode: 403 } api => new SendOutcome.Blocked(Describe(api)),
            ApiRequestException { ErrorCode: 429 } api => new SendOutcome.RateLimited(RetryAfter(api), Describe(api)),
            ApiRequestException { ErrorCode: 400, Parameters.MigrateToChatId: { } chat } => new SendOutcome.Moved(chat.ToString(CultureInfo.InvariantCulture)),
            ApiRequestException { ErrorCode: 400 } api when IsGone(api) => new SendOutcome.Blocked(Describe(api)),
            ApiRequestException { ErrorCode: 400 } api => new SendOutcome.Failed(Describe(api)),
            // 401: the token was revoked; nothing goes out until an operator fixes it, which is no reason to drop the delivery.
            ApiRequestException { ErrorCode: >= 500 or 401 } api => new SendOutcome.Transient(Describe(api)),
            ApiRequestException api => new SendOutcome.Failed(Describe(api)),
            RequestException { HttpStatusCode: { } status } request when (int)status is >= 400 and < 500 => new SendOutcome.Failed(Describe(request)),
            RequestException or HttpRequestException or TimeoutException or OperationCanceledException => new SendOutcome.Transient(Describe(error)),
            _ => null,
        };
    }

    public static bool IsBlocked(ApiRequestException error) => error.ErrorCode == 403 || (error.ErrorCode == 400 && IsGone(error));

    public static TimeSpan RetryAfter(ApiRequestException error) =>
        TimeSpan.FromSeconds(Math.Max(1, error.Parameters?.RetryAfter ?? 1));

    /// <summary>A short reason for logs and delivery records. Bot API descriptions never hold the token; transport errors might name the URL, so only their type and status go out.</summary>
    public static string Describe(Exception error) => error switch
    {
        ApiRequestException api => $"{api.ErrorCode} {api.Message}",
        RequestException { HttpStatusCode: { } status } => $"HTTP {(int)status} from the Bot API",
        RequestException { InnerException: { } inner } => $"{inner.GetType().Name} talking to the Bot API",
        _ => $"{error.GetType().Name} talking to the Bot API",
    };

    private static bool IsGone(ApiRequestException error) =>
        GoneChat.Any(gone => error.Message.Contains(gone, StringComparison.OrdinalIgnoreCase));
}
