using System.Collections.Concurrent;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Types;

namespace PaperBot.Channels.Telegram;

/// <summary>
/// The edge for updates from polling or the webhook: each is handled in its own DI scope by a
/// <see cref="TelegramUpdateHandler"/>; a failing update is logged and skipped. An update is handled to its end even
/// when the host starts stopping (a deploy): its receipt is written, so Telegram's redelivery after the restart would be
/// dropped, and a stop that cut the answer short lost it. Stopping waits for the updates being handled; only the end of
/// the host's shutdown timeout cancels them.
/// </summary>
public sealed class TelegramUpdates(IServiceScopeFactory scopes, ILogger<TelegramUpdates> logger) : IHostedService, IDisposable
{
    private readonly CancellationTokenSource givingUp = new();
    private readonly ConcurrentDictionary<Task, byte> running = new();

    /// <summary>The edge for one update: whatever goes wrong is logged and the next update is served.</summary>
    public async Task HandleSafelyAsync(Update update)
    {
        var handling = HandleGuardedAsync(update, givingUp.Token);
        running.TryAdd(handling, 0);
        try
        {
            await handling;
        }
        finally
        {
            running.TryRemove(handling, out _);
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Task.WhenAll(running.Keys).WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("telegram: stopping with {Count} updates not handled to the end", running.Count);
            await givingUp.CancelAsync();
        }
        catch (Exception)
        {
            // Each handling logs its own failure.
        }
    }

    public void Dispose() => givingUp.Dispose();

    private async Task HandleGuardedAsync(Update update, CancellationToken cancellationToken)
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
