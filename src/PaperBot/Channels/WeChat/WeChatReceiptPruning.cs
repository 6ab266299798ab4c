namespace PaperBot.Channels.WeChat;

/// <summary>Once an hour, forgets WeChat receipts older than a day, so stored replies do not pile up.</summary>
public sealed class WeChatReceiptPruning(IServiceScopeFactory scopes, TimeProvider clock, ILogger<WeChatReceiptPruning> logger) : BackgroundService
{
    public static readonly TimeSpan Keep = TimeSpan.FromDays(1);
    public static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(Interval, clock, stoppingToken);
                await using var scope = scopes.CreateAsyncScope();
                var pruned = await scope.ServiceProvider.GetRequiredService<WeChatReceipts>().PruneAsync(Keep, stoppingToken);
                logger.LogDebug("wechat: forgot {Count} message receipts older than {Keep}", pruned, Keep);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception error)
            {
                logger.LogWarning(error, "wechat: unable to prune message receipts; trying again in {Interval}", Interval);
            }
        }
    }
}
