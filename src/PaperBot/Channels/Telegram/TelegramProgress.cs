using System.Collections.Concurrent;
using System.Globalization;
using PaperBot.Core.Commands;
using PaperBot.Core.Sending;
using PaperBot.Core.Stats;
using PaperBot.Core.Subscribers;
using Telegram.Bot;
using Telegram.Bot.Types.Enums;

namespace PaperBot.Channels.Telegram;

/// <summary>
/// Keeps each admin's /publish or /broadcast message up to date while the push is sending:
/// sent / skipped / blocked / failed / remaining, the rate and the time left, then "done" — with the reason most
/// failures had, read once the push is done (a query over its failed deliveries, not one every 3 seconds while it sends).
/// </summary>
public sealed class TelegramProgress(IServiceProvider services, IServiceScopeFactory scopes, TelegramPacing pacing, TimeProvider clock, ILogger<TelegramProgress> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(3);

    private readonly ConcurrentDictionary<int, string> shown = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var bot = services.GetRequiredService<ITelegramBotClient>();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(Interval, clock, stoppingToken);
                await UpdateAllAsync(bot, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception error)
            {
                logger.LogWarning(error, "telegram: unable to update push progress messages");
            }
        }
    }

    private async Task UpdateAllAsync(ITelegramBotClient bot, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var active = await scope.ServiceProvider.GetRequiredService<ProgressMessages>().ActiveAsync(Channel.Telegram, cancellationToken);
        var reader = scope.ServiceProvider.GetRequiredService<PushProgress>();
        var stats = scope.ServiceProvider.GetRequiredService<StatsReport>();
        foreach (var message in active)
        {
            if (await reader.ReadAsync(message.PushId, cancellationToken) is not { } progress)
                continue;
            var say = Phrases.For(message.Language);
            var text = $"<b>{TelegramFormatter.Escape(say.ProgressTitle(progress.Ledger))}</b>\n{TelegramFormatter.Escape(say.Progress(progress))}";
            if (progress.Ledger is { Pending: 0, Failed: > 0 } ledger
                && (await stats.ReasonsAsync(ledger, StatsReport.TopReasons, cancellationToken)).Top.FirstOrDefault(r => r.Status == DeliveryStatus.Failed) is { } most)
                text += $"\n{TelegramFormatter.Escape(say.MostFailures(most))}";
            if (shown.TryGetValue(message.PushId, out var previous) && previous == text)
                continue;
            try
            {
                await pacing.CallAsync(message.ChatId, TelegramPacing.IsGroup(message.ChatId), () => bot.EditMessageText(
                    chatId: long.Parse(message.ChatId, CultureInfo.InvariantCulture),
                    messageId: int.Parse(message.MessageId, CultureInfo.InvariantCulture),
                    text: text,
                    parseMode: ParseMode.Html,
                    cancellationToken: cancellationToken), cancellationToken);
                shown[message.PushId] = text;
            }
            catch (Exception error) when (TelegramErrors.Classify(error, TelegramPacing.IsGroup(message.ChatId), cancellationToken) is { } outcome)
            {
                // Deleted, too old to edit, unchanged, or the chat is gone: nothing more to show there.
                if (outcome is not (SendOutcome.Transient or SendOutcome.Ambiguous or SendOutcome.RetryAfter))
                    shown[message.PushId] = text;
                await scope.ServiceProvider.GetRequiredService<ChatLifecycle>().ApplyAsync(Channel.Telegram, message.ChatId, outcome, cancellationToken);
                logger.LogDebug("telegram: unable to update progress of push {PushId}: {Outcome}", message.PushId, outcome);
            }
        }
    }
}
