namespace PaperBot.Core.Delivery;

/// <summary>
/// When each send of one claimed batch may start. The claim reserved the window from <see cref="ClaimedBatch.Start"/>
/// for its deliveries on the channel's shared clock; sends start at their slots, at least one interval apart even
/// when the process fell behind, and never later than the window's end plus <see cref="Tolerance"/>: what does not
/// fit goes back to the queue. Any second thus holds at most the rate's sends and a tenth more, however many
/// instances send.
/// </summary>
public sealed class BatchPace(ClaimedBatch batch, TimeProvider clock, Func<long> pausedUntilTicks)
{
    public static readonly TimeSpan Tolerance = TimeSpan.FromMilliseconds(100);

    private readonly DateTimeOffset windowEnd = batch.Start + batch.Interval * batch.Deliveries.Count;
    private DateTimeOffset previous = DateTimeOffset.MinValue;

    /// <summary>Waits until the send may start; false when it does not fit the window or the channel is paused by a 429.</summary>
    public async Task<bool> WaitAsync(DateTimeOffset slot, CancellationToken cancellationToken)
    {
        if (batch.Interval > TimeSpan.Zero)
        {
            var now = clock.GetUtcNow();
            var start = Latest(slot, previous == DateTimeOffset.MinValue ? slot : previous + batch.Interval, now);
            if (start > windowEnd + Tolerance)
                return false;
            previous = start;
            if (start > now)
                await Task.Delay(start - now, clock, cancellationToken);
        }

        return clock.GetUtcNow().UtcTicks >= pausedUntilTicks();
    }

    private static DateTimeOffset Latest(DateTimeOffset a, DateTimeOffset b, DateTimeOffset c) => a > b ? (a > c ? a : c) : (b > c ? b : c);
}
