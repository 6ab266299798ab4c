using Microsoft.Extensions.Options;
using Quartz;

namespace PaperBot.Scheduling;

/// <summary>
/// Quartz's hosted service, whose stop gives up when the host's shutdown timeout runs out. Quartz waits for its
/// scheduler thread without a bound, and with the database gone that thread retries the job store until the store
/// shuts down — which Quartz does only after the thread has stopped: a stop during a database outage never ended.
/// </summary>
public sealed class BoundedQuartzHostedService(
    IHostApplicationLifetime lifetime,
    IServiceProvider services,
    IOptionsMonitor<QuartzHostedServiceOptions> options,
    ILogger<BoundedQuartzHostedService> logger) : IHostedLifecycleService
{
    private readonly QuartzHostedService quartz = new(lifetime, services, options);

    public Task StartingAsync(CancellationToken cancellationToken) => quartz.StartingAsync(cancellationToken);

    public Task StartAsync(CancellationToken cancellationToken) => quartz.StartAsync(cancellationToken);

    public Task StartedAsync(CancellationToken cancellationToken) => quartz.StartedAsync(cancellationToken);

    public Task StoppingAsync(CancellationToken cancellationToken) => WithinAsync(quartz.StoppingAsync(cancellationToken), cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => WithinAsync(quartz.StopAsync(cancellationToken), cancellationToken);

    public Task StoppedAsync(CancellationToken cancellationToken) => WithinAsync(quartz.StoppedAsync(cancellationToken), cancellationToken);

    private async Task WithinAsync(Task stopping, CancellationToken cancellationToken)
    {
        try
        {
            await stopping.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("schedule: the scheduler did not stop within the shutdown timeout (is the database reachable?); the host stops without it");
        }
    }
}
