using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace PaperBot.Core.Sending;

/// <summary>The hosted sending engine: one send loop per channel that is switched on, each with its own dispatcher and preparation.</summary>
public sealed class DeliveryWorker(IEnumerable<IChannelSender> senders, IServiceProvider services, ILogger<DeliveryWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
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
}
