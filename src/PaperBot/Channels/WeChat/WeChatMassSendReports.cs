using PaperBot.Core.Sending;

namespace PaperBot.Channels.WeChat;

/// <summary>
/// A report that a push's mass send went to no one (MASSSENDJOBFINISH) that came before the send's result was written:
/// the group's sends were still going (a refused recipient is found by halving the group, a call a second) or the
/// result writer was behind. The report is stored (<see cref="DeliveryResults.KeepMassSendFailureAsync"/>), and the result
/// that records its deliveries sent fails them in the same write, on whichever instance and after any restart; this
/// process also applies it again as the results come, for <see cref="Patience"/>, for a result written while the
/// report was being stored.
/// </summary>
public sealed class WeChatMassSendReports(IServiceScopeFactory scopes, TimeProvider clock, IHostApplicationLifetime lifetime, ILogger<WeChatMassSendReports> logger)
{
    /// <summary>How long an unmatched failure report waits for its deliveries' results.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromMinutes(10);

    private static readonly TimeSpan FirstLook = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxBetweenLooks = TimeSpan.FromMinutes(1);

    /// <summary>Applies the failure to the deliveries of <paramref name="msgId"/> once their results are written.</summary>
    public async Task KeepAsync(long msgId, string reason, CancellationToken cancellationToken)
    {
        logger.LogInformation("wechat: mass send msg_id {MsgId} went to no one, and no delivery is recorded as sent by it yet; applying it when one is", msgId);
        await using (var scope = scopes.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<DeliveryResults>().KeepMassSendFailureAsync(msgId, reason, cancellationToken);
        _ = ApplyLaterAsync(msgId, reason, lifetime.ApplicationStopping);
    }

    private async Task ApplyLaterAsync(long msgId, string reason, CancellationToken cancellationToken)
    {
        var waited = TimeSpan.Zero;
        var wait = FirstLook;
        try
        {
            while (waited < Patience)
            {
                await Task.Delay(wait, clock, cancellationToken);
                waited += wait;
                wait = TimeSpan.FromTicks(Math.Min(wait.Ticks * 2, MaxBetweenLooks.Ticks));
                try
                {
                    await using var scope = scopes.CreateAsyncScope();
                    var failed = await scope.ServiceProvider.GetRequiredService<DeliveryResults>().FailMassSendAsync(msgId, reason, cancellationToken);
                    if (failed > 0)
                    {
                        logger.LogWarning("wechat: mass send msg_id {MsgId} went to no one: its {Count} deliveries, recorded after WeChat's report, failed; resend the issue once that is dealt with", msgId, failed);
                        return;
                    }
                }
                catch (Exception error) when (error is not OperationCanceledException)
                {
                    logger.LogWarning("wechat: unable to apply the report on mass send msg_id {MsgId} yet ({Reason}); trying again", msgId, error.Message);
                }
            }

            logger.LogInformation("wechat: no delivery was recorded as sent by mass send msg_id {MsgId} within {Patience}: not a push's send", msgId, Patience);
        }
        catch (OperationCanceledException)
        {
        }
    }
}
