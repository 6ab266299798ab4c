namespace PaperBot.Core.Sending;

/// <summary>Wakes every channel's sending loop when a push is queued in this process, instead of waiting for its next poll.</summary>
public sealed class DeliverySignal
{
    private TaskCompletionSource next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Notify() => Interlocked.Exchange(ref next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    /// <summary>Returns when notified or after <paramref name="timeout"/>, whichever comes first.</summary>
    public async Task WaitAsync(TimeSpan timeout, TimeProvider clock, CancellationToken cancellationToken)
    {
        try
        {
            await Volatile.Read(ref next).Task.WaitAsync(timeout, clock, cancellationToken);
        }
        catch (TimeoutException)
        {
        }
    }
}
