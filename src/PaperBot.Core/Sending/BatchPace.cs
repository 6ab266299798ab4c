namespace PaperBot.Core.Sending;

/// <summary>
/// When each send of a channel may start. A claim reserved a window on the channel's shared clock for its
/// deliveries; sends start at their slots, never before, and never later than their window's end plus
/// <see cref="Tolerance"/>: what does not fit goes back to the queue. A process that fell behind its slots catches up
/// by at most <see cref="CatchUp"/>'s worth of sends at once, and a timer that wakes a little late does not move the
/// sends after it (at 1,000/s a wake-up late by a fraction of a millisecond pushed every later slot back and held
/// the rate near 730/s).
/// Batches are dispatched one after another, so any second holds at most the rate's sends and a tenth more,
/// however many instances send.
/// </summary>
public sealed class BatchPace(TimeProvider clock, Func<ClaimedBatch, long> pausedUntilTicks)
{
    public static readonly TimeSpan Tolerance = TimeSpan.FromMilliseconds(100);

    /// <summary>How far behind its slot a send may still be planned: the sends of 50 ms may go at once to catch up.</summary>
    public static readonly TimeSpan CatchUp = TimeSpan.FromMilliseconds(50);

    private DateTimeOffset previous = DateTimeOffset.MinValue;

    /// <summary>Waits until the send may start; false when it does not fit its window or the channel is paused by a 429.</summary>
    public async Task<bool> WaitAsync(ClaimedBatch batch, int index, CancellationToken cancellationToken)
    {
        if (batch.Interval > TimeSpan.Zero)
        {
            var slot = batch.Start + batch.Interval * index;
            var windowEnd = batch.Start + batch.Interval * batch.Deliveries.Count;
            var now = clock.GetUtcNow();
            var start = Latest(slot, previous == DateTimeOffset.MinValue ? slot : previous + batch.Interval, now - CatchUp);
            if (start > windowEnd + Tolerance)
                return false;
            previous = start;
            // Rounded up: Task.Delay counts whole milliseconds, and less than one would not wait at all.
            if (start > now)
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Ceiling((start - now).TotalMilliseconds)), clock, cancellationToken);
        }

        return clock.GetUtcNow().UtcTicks >= pausedUntilTicks(batch);
    }

    private static DateTimeOffset Latest(DateTimeOffset a, DateTimeOffset b, DateTimeOffset c) => a > b ? (a > c ? a : c) : (b > c ? b : c);
}
