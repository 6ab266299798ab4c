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
    StorageDialect dialect,
    InstanceIdentity instance,
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
            await PollAsync(bot, settings, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            logger.LogDebug("telegram: stopped");
        }
    }

    /// <summary>
    /// Telegram serves getUpdates to one poller per bot (a second gets 409 Conflict). On a database that serves one
    /// instance there is nobody to agree with: it polls at once, also right after a crash. Instances sharing a database
    /// take a short lease first, renewed every <see cref="LeaseRenewal"/> while polling: one polls, the others stand by
    /// and take over within seconds of its end, a crash included.
    /// </summary>
    private async Task PollAsync(ITelegramBotClient bot, TelegramOptions settings, CancellationToken stoppingToken)
    {
        if (!dialect.ServesSeveralInstances)
        {
            await PollUpdatesAsync(bot, settings.PollingTimeoutSeconds, stoppingToken);
            return;
        }

        var lease = $"telegram-polling:{settings.BotToken.Split(':')[0]}";
        var holder = instance.Name;
        string? refusedBy = null;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                if (await TryHoldAsync(lease, holder, stoppingToken))
                {
                    if (refusedBy is not null)
                        logger.LogInformation("telegram: took over long polling from instance {Holder}", refusedBy);
                    refusedBy = null;
                    using var held = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                    var renewing = RenewWhilePollingAsync(lease, holder, held);
                    try
                    {
                        await PollUpdatesAsync(bot, settings.PollingTimeoutSeconds, held.Token);
                    }
                    catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
                    {
                        logger.LogWarning("telegram: lost the long-polling lease to another instance; standing by");
                    }

                    await held.CancelAsync();
                    await renewing;
                    continue;
                }

                var current = await WithScopeAsync(leases => leases.HolderAsync(lease, stoppingToken));
                if (current?.Holder != refusedBy)
                {
                    refusedBy = current?.Holder;
                    logger.LogWarning("telegram: long polling is held by instance {Holder}; standing by to take over when it stops (with several instances, Telegram__WebhookUrl lets every instance answer)",
                        refusedBy);
                }

                await Task.Delay(LeaseRenewal, clock, stoppingToken);
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

    /// <summary>How long the long-polling lease holds without renewal: a crashed poller is replaced this soon.</summary>
    private static readonly TimeSpan PollingLease = TimeSpan.FromSeconds(6);

    private static readonly TimeSpan LeaseRenewal = TimeSpan.FromSeconds(2);

    private async Task RenewWhilePollingAsync(string lease, string holder, CancellationTokenSource held)
    {
        while (!held.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(LeaseRenewal, clock, held.Token);
                if (!await TryHoldAsync(lease, holder, held.Token))
                    await held.CancelAsync();
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception error)
            {
                // The database is away for a moment; the lease lasts three renewals.
                logger.LogWarning("telegram: unable to renew the long-polling lease ({Reason})", error.Message);
            }
        }
    }

    private Task<bool> TryHoldAsync(string lease, string holder, CancellationToken stoppingToken) =>
        WithScopeAsync(leases => leases.TryAcquireAsync(lease, holder, PollingLease, stoppingToken));

    private async Task<T> WithScopeAsync<T>(Func<ClusterLeases, Task<T>> use)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await use(scope.ServiceProvider.GetRequiredService<ClusterLeases>());
    }

    private async Task PollUpdatesAsync(ITelegramBotClient bot, int timeoutSeconds, CancellationToken stoppingToken)
    {
        int? offset = null;
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            Update[] batch;
            try
            {
                batch = await bot.GetUpdates(offset, limit: 100, timeout: timeoutSeconds, allowedUpdates: TelegramInbound.AllowedUpdates, cancellationToken: stoppingToken);
                failures = 0;
            }
            catch (ApiRequestException error) when (error.ErrorCode == 409)
            {
                // Another poller outside this database, or a webhook someone set: Telegram serves one of them.
                var wait = Backoff(++failures);
                logger.LogWarning("telegram: Telegram refused long polling ({Reason}): another program polls this bot or set a webhook; retrying in {RetryIn}",
                    TelegramErrors.Describe(error), wait);
                await Task.Delay(wait, clock, stoppingToken);
                continue;
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
                // delivers the batch again, and the receipts drop what was already handled. A stop lets the update
                // being handled finish and leaves the rest of the batch unconfirmed, for the next start.
                if (stoppingToken.IsCancellationRequested)
                    break;
                offset = update.Id + 1;
                await updates.HandleSafelyAsync(update);
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
