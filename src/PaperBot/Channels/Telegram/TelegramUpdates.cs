using Telegram.Bot.Exceptions;
using Telegram.Bot.Types;

namespace PaperBot.Channels.Telegram;

/// <summary>
/// The edge for updates from polling or the webhook: each is handled in its own DI scope by a
/// <see cref="TelegramUpdateHandler"/>; a failing update is logged and skipped.
/// </summary>
public sealed class TelegramUpdates(IServiceScopeFactory scopes, ILogger<TelegramUpdates> logger)
{
    /// <summary>The edge for one update: whatever goes wrong is logged and the next update is served.</summary>
    public async Task HandleSafelyAsync(Update update, CancellationToken cancellationToken)
    {
        try
        {
            await HandleAsync(update, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (RequestException error)
        {
            logger.LogWarning("telegram: unable to handle update {UpdateId}: {Reason}", update.Id, TelegramErrors.Describe(error));
        }
        catch (Exception error)
        {
            logger.LogError(error, "telegram: unable to handle update {UpdateId}", update.Id);
        }
    }

    public async Task HandleAsync(Update update, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<TelegramUpdateHandler>().HandleAsync(update, cancellationToken);
    }
}
