using PaperBot.Core.Sending;
using PaperBot.WeChat;

namespace PaperBot.Channels.WeChat;

/// <summary>
/// A call made outside the sending engine (a late reply, the menu at start) has no outbox to come back to it: when WeChat
/// was busy (-1) or could not be reached, it is made again after 1 and then 3 seconds before it is given up.
/// Two fixed waits and the engine's own notion of transient (<see cref="WeChatErrors.Outcome"/>): a loop says it in fewer
/// lines than a Polly pipeline, which the product does not otherwise use.
/// </summary>
public static class WeChatRetries
{
    public static readonly IReadOnlyList<TimeSpan> Delays = [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3)];

    /// <param name="retrying">Told of each failure that is tried again; the last one is thrown.</param>
    public static async Task RunAsync(Func<Task> call, TimeProvider clock, Action<WeChatException> retrying, CancellationToken cancellationToken = default)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await call();
                return;
            }
            catch (WeChatException error) when (attempt < Delays.Count && WeChatErrors.Outcome(error, clock.GetUtcNow()) is SendOutcome.Transient)
            {
                retrying(error);
                await Task.Delay(Delays[attempt], clock, cancellationToken);
            }
        }
    }
}
