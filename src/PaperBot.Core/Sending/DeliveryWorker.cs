using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace PaperBot.Core.Sending;

/// <summary>The hosted sending engine: one send loop per channel that is switched on.</summary>
public sealed class DeliveryWorker(IEnumerable<IChannelSender> senders, IServiceProvider services, ILogger<DeliveryWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var loops = senders.Select(sender => ActivatorUtilities.CreateInstance<ChannelSendLoop>(services, sender)).ToList();
        if (loops.Count == 0)
        {
            logger.LogInformation("delivery: no channel is switched on; queued deliveries wait until one is");
            return;
        }

        logger.LogInformation("delivery: sending on {Channels}", string.Join(", ", loops.Select(l => l.Channel)));
        try
        {
            await Task.WhenAll(loops.Select(loop => Task.Run(() => loop.RunAsync(stoppingToken), CancellationToken.None)));
        }
        finally
        {
            foreach (var loop in loops)
                loop.Dispose();
        }
    }
}
