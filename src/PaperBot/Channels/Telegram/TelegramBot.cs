using Microsoft.Extensions.Options;
using PaperBot.Core.Commands;
using PaperBot.Core.Data;
using Telegram.Bot;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Types;

namespace PaperBot.Channels.Telegram;

/// <summary>
/// Start-up and receiving: getMe, the command menus, the channel list; then either setWebhook (updates arrive at
/// POST /telegram/webhook) or deleteWebhook and a getUpdates long-poll loop that survives errors with backoff.
/// </summary>
public sealed class TelegramBot(
    IServiceProvider services,
    TelegramUpdates updates,
    TelegramIdentity identity,
    IServiceScopeFactory scopes,
    IOptions<TelegramOptions> options,
    IOptions<AdminOptions> admins,
    TimeProvider clock,
    ILogger<TelegramBot> logger) : BackgroundService
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.Enabled)
        {
            logger.LogInformation("telegram: off; set Telegram__BotToken to a token from @BotFather to turn it on");
            return;
        }

        // Resolved only now: with Telegram off there is no token to build a client with.
        var bot = services.GetRequiredService<ITelegramBotClient>();
        try
        {
            await using (var scope = scopes.CreateAsyncScope())
                await scope.ServiceProvider.GetRequiredService<TelegramChats>().SyncChannelsAsync(stoppingToken);
            var me = await RetryAsync("identify the bot (getMe)", () => bot.GetMe(stoppingToken), stoppingToken);
            identity.Set(me.Username ?? "");
            await PublishMenusAsync(bot, stoppingToken);

            if (settings.UsesWebhook)
            {
                await RetryAsync("set the webhook", async () =>
                {
                    await bot.SetWebhook(settings.WebhookUrl, secretToken: settings.WebhookSecret, allowedUpdates: TelegramInbound.AllowedUpdates, cancellationToken: stoppingToken);
                    return true;
                }, stoppingToken);
                logger.LogInformation("telegram: on as @{BotUsername}, receiving updates at webhook {WebhookUrl}", me.Username, settings.WebhookUrl);
                return;
            }

            await RetryAsync("delete the webhook before polling", async () =>
            {
                await bot.DeleteWebhook(cancellationToken: stoppingToken);
                return true;
            }, stoppingToken);
            logger.LogInformation("telegram: on as @{BotUsername}, long polling", me.Username);
            await PollWhileHoldingTheLeaseAsync(bot, settings, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            logger.LogDebug("telegram: stopped");
        }
    }

    /// <summary>
    /// Telegram serves getUpdates to one poller per bot (a second gets 409 Conflict), so instances sharing a database
    /// take a lease first: one polls, the others refuse with a clear message and stand by until it lets go.
    /// </summary>
    private async Task PollWhileHoldingTheLeaseAsync(ITelegramBotClient bot, TelegramOptions settings, CancellationToken stoppingToken)
    {
        var lease = $"telegram-polling:{settings.BotToken.Split(':')[0]}";
        var holder = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}"[..^24];
        string? refusedBy = null;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                if (await TryHoldAsync(lease, holder, stoppingToken))
                {
                    refusedBy = null;
                    await PollAsync(bot, settings.PollingTimeoutSeconds, () => TryHoldAsync(lease, holder, stoppingToken), stoppingToken);
                    continue;
                }

                var current = await WithScopeAsync(leases => leases.HolderAsync(lease, stoppingToken));
                if (current?.Holder != refusedBy)
                {
                    refusedBy = current?.Holder;
                    logger.LogError("telegram: long polling refused: instance {Holder} already polls this bot; with several instances set Telegram__WebhookUrl (any instance then answers). Standing by",
                        refusedBy);
                }

                await Task.Delay(LeaseRetry, clock, stoppingToken);
            }
        }
        finally
        {
            await WithScopeAsync<object?>(async leases =>
            {
                await leases.ReleaseAsync(lease, holder, CancellationToken.None);
                return null;
            });
        }
    }

    private static readonly TimeSpan PollingLease = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan LeaseRetry = TimeSpan.FromSeconds(30);

    private Task<bool> TryHoldAsync(string lease, string holder, CancellationToken stoppingToken) =>
        WithScopeAsync(leases => leases.TryAcquireAsync(lease, holder, PollingLease, stoppingToken));

    private async Task<T> WithScopeAsync<T>(Func<ClusterLeases, Task<T>> use)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await use(scope.ServiceProvider.GetRequiredService<ClusterLeases>());
    }

    /// <summary>Polls as long as <paramref name="stillHeld"/> renews the lease before each long poll.</summary>
    private async Task PollAsync(ITelegramBotClient bot, int timeoutSeconds, Func<Task<bool>> stillHeld, CancellationToken stoppingToken)
    {
        int? offset = null;
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested && await stillHeld())
        {
            Update[] batch;
            try
            {
                batch = await bot.GetUpdates(offset, limit: 100, timeout: timeoutSeconds, allowedUpdates: TelegramInbound.AllowedUpdates, cancellationToken: stoppingToken);
                failures = 0;
            }
            catch (Exception error) when (error is RequestException or HttpRequestException or TimeoutException || (error is OperationCanceledException && !stoppingToken.IsCancellationRequested))
            {
                var wait = Backoff(++failures);
                logger.LogWarning("telegram: unable to fetch updates ({Reason}); retrying in {RetryIn}", TelegramErrors.Describe(error), wait);
                await Task.Delay(wait, clock, stoppingToken);
                continue;
            }

            foreach (var update in batch)
            {
                // The next getUpdates confirms everything below the offset; a crash before it means Telegram
                // delivers the batch again, and the receipts drop what was already handled.
                offset = update.Id + 1;
                await updates.HandleSafelyAsync(update, stoppingToken);
            }
        }
    }

    private async Task PublishMenusAsync(ITelegramBotClient bot, CancellationToken stoppingToken)
    {
        foreach (var menu in TelegramCommandMenu.All(admins.Value.Telegram))
        {
            try
            {
                await bot.SetMyCommands(menu.Commands, menu.Scope, menu.LanguageCode, stoppingToken);
            }
            catch (RequestException error)
            {
                // The menu is a convenience: the commands work without it.
                logger.LogWarning("telegram: unable to set the command menu for scope {Scope} language {Language}: {Reason}",
                    menu.Scope.Type, menu.LanguageCode ?? "default", TelegramErrors.Describe(error));
            }
        }
    }

    /// <summary>Start-up calls wait out a Bot API that is down; a refused token is said once, plainly, and retried slowly.</summary>
    private async Task<T> RetryAsync<T>(string action, Func<Task<T>> call, CancellationToken stoppingToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await call();
            }
            catch (Exception error) when (error is RequestException or HttpRequestException or TimeoutException || (error is OperationCanceledException && !stoppingToken.IsCancellationRequested))
            {
                var wait = Backoff(attempt);
                if (error is ApiRequestException { ErrorCode: 401 or 404 })
                {
                    logger.LogError("telegram: the Bot API refused the token ({Reason}); check Telegram__BotToken. Unable to {Action}; retrying in {RetryIn}",
                        TelegramErrors.Describe(error), action, wait);
                }
                else
                {
                    logger.LogWarning("telegram: unable to {Action} ({Reason}); retrying in {RetryIn}", action, TelegramErrors.Describe(error), wait);
                }

                await Task.Delay(wait, clock, stoppingToken);
            }
        }
    }

    private static TimeSpan Backoff(int failures) =>
        TimeSpan.FromSeconds(Math.Min(MaxBackoff.TotalSeconds, Math.Pow(2, Math.Min(failures, 10) - 1)));
}
