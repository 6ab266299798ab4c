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
public sealed class DeliveryWorker(IEnumerable<IChannelSender> senders, IServiceProvider services, IServiceScopeFactory scopes, ILogger<DeliveryWorker> logger) : BackgroundService
{
    /// <summary>How a delivery skipped for a switched-off channel starts its reason.</summary>
    public const string ChannelOffReason = "the channel is switched off";

    private static readonly Channel[] Pushable = [Channel.Telegram, Channel.WeChat];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await SkipSwitchedOffChannelsAsync(stoppingToken);
        var dispatchers = senders.Select(sender => ActivatorUtilities.CreateInstance<BatchDispatcher>(services, sender)).ToList();
        if (dispatchers.Count == 0)
        {
            logger.LogInformation("delivery: no channel is switched on; queued deliveries wait until one is");
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
            foreach (var dispatcher in dispatchers)
                dispatcher.Dispose();
        }
    }

    private async Task SkipSwitchedOffChannelsAsync(CancellationToken stoppingToken)
    {
        foreach (var channel in Pushable.Except(senders.Select(s => s.Channel)))
        {
            await using var scope = scopes.CreateAsyncScope();
            var reason = $"{ChannelOffReason} (no {channel} credentials in the configuration); 'resend ISSUE' sends it once the channel is on";
            var skipped = await scope.ServiceProvider.GetRequiredService<PaperBotDbContext>().Deliveries
                .Where(d => d.Channel == channel && d.Status == DeliveryStatus.Pending)
                .ExecuteUpdateAsync(d => d.SetProperty(x => x.Status, DeliveryStatus.Skipped).SetProperty(x => x.LastError, reason), stoppingToken);
            if (skipped > 0)
            {
                logger.LogWarning("delivery: {Count} {Channel} deliveries skipped: {Reason}", skipped, channel, reason);
                await scope.ServiceProvider.GetRequiredService<DeliveryResults>().CompleteFinishedAsync(null, stoppingToken);
            }
        }
    }
}
