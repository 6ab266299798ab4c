using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PaperBot.Core.Data;
using PaperBot.Core.Subscribers;

namespace PaperBot.Core.Sending;

/// <summary>
/// The hosted sending engine: one send loop per channel that is switched on, each with its own dispatcher and
/// preparation. Deliveries queued for a channel that is switched off end as skipped with the reason (resend queues
/// them again once it is on), instead of waiting forever.
/// </summary>
public sealed class DeliveryWorker(
    IEnumerable<IChannelSender> senders, IServiceProvider services, IServiceScopeFactory scopes, TimeProvider clock, ILogger<DeliveryWorker> logger) : BackgroundService
{
    /// <summary>How a delivery skipped for a switched-off channel starts its reason.</summary>
    public const string ChannelOffReason = "the channel is switched off";

    private static readonly Channel[] Pushable = [Channel.Telegram, Channel.WeChat];

    /// <summary>How soon a push queued for a switched-off channel (by the command line, say) is marked skipped.</summary>
    private static readonly TimeSpan SwitchedOffCheck = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var skipping = SkipSwitchedOffChannelsAsync(stoppingToken);
        var dispatchers = senders.Select(sender => ActivatorUtilities.CreateInstance<BatchDispatcher>(services, sender)).ToList();
        if (dispatchers.Count == 0)
        {
            logger.LogInformation("delivery: no channel is switched on; queued deliveries are skipped with the reason until one is");
            await skipping;
            return;
        }

        var loops = dispatchers
            .Select(dispatcher => ActivatorUtilities.CreateInstance<ChannelSendLoop>(services, dispatcher.Sender, dispatcher, ActivatorUtilities.CreateInstance<BatchPreparation>(services)))
            .ToList();
        logger.LogInformation("delivery: sending on {Channels}", string.Join(", ", loops.Select(l => l.Channel)));
        try
        {
            await Task.WhenAll(loops.Select(loop => Task.Run(() => loop.RunAsync(stoppingToken), CancellationToken.None)));
        }
        finally
        {
            await skipping;
            foreach (var dispatcher in dispatchers)
                dispatcher.Dispose();
        }
    }

    private async Task SkipSwitchedOffChannelsAsync(CancellationToken stoppingToken)
    {
        var off = Pushable.Except(senders.Select(s => s.Channel)).ToList();
        while (off.Count > 0 && !stoppingToken.IsCancellationRequested)
        {
            try
            {
                foreach (var channel in off)
                    await SkipAsync(channel, stoppingToken);
                await Task.Delay(SwitchedOffCheck, clock, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception error)
            {
                logger.LogWarning(error, "delivery: unable to skip the deliveries of switched-off channels; trying again");
                await Task.Delay(SwitchedOffCheck, clock, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    private async Task SkipAsync(Channel channel, CancellationToken stoppingToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PaperBotDbContext>();
        var reason = $"{ChannelOffReason} (no {channel} credentials in the configuration); 'resend ISSUE' sends it once the channel is on";
        // One transaction: nobody sees a push with nothing left to send that is not yet complete.
        await using var transaction = await db.Database.BeginTransactionAsync(stoppingToken);
        // Not one another instance, which has the channel, holds a claim on: it may be sending it right now.
        var now = clock.GetUtcNow();
        var skipped = await db.Deliveries
            .Where(d => d.Channel == channel && d.Status == DeliveryStatus.Pending && (d.ClaimedUntil == null || d.ClaimedUntil < now))
            .ExecuteUpdateAsync(d => d.SetProperty(x => x.Status, DeliveryStatus.Skipped).SetProperty(x => x.LastError, reason), stoppingToken);
        if (skipped > 0)
            await scope.ServiceProvider.GetRequiredService<DeliveryResults>().CompleteFinishedAsync(null, stoppingToken);
        await transaction.CommitAsync(stoppingToken);
        if (skipped > 0)
            logger.LogWarning("delivery: {Count} {Channel} deliveries skipped: {Reason}", skipped, channel, reason);
    }
}
