using Microsoft.Extensions.Time.Testing;
using PaperBot.Core.Sending;
using PaperBot.Core.Subscribers;

namespace PaperBot.Core.Tests.Sending;

public sealed class BatchPaceTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 23, 1, 0, 0, TimeSpan.Zero);

    private static ClaimedBatch Batch(int count, TimeSpan interval) => new(
        Enumerable.Range(1, count).Select(i => new ClaimedDelivery(i, 1, 0, 0, 0, new Recipient(i, Channel.Telegram, $"{i}", ChatKind.Private, "zh"), new HashSet<string>())).ToList(),
        Start,
        interval);

    [Fact]
    public async Task SendsStartAtTheirSlots()
    {
        var clock = new FakeTimeProvider(Start);
        var batch = Batch(3, TimeSpan.FromMilliseconds(40));
        var pace = new BatchPace(clock, _ => 0);

        var first = pace.WaitAsync(batch, 0, CancellationToken.None);
        Assert.True(await first);
        var second = pace.WaitAsync(batch, 1, CancellationToken.None);
        Assert.False(second.IsCompleted);
        clock.Advance(TimeSpan.FromMilliseconds(40));
        Assert.True(await second);
    }

    [Fact]
    public async Task ALateProcessCatchesUpFiftyMillisecondsAtOnceAndHandsBackWhatNoLongerFitsTheWindow()
    {
        var clock = new FakeTimeProvider(Start.AddMilliseconds(900));
        var interval = TimeSpan.FromMilliseconds(100);
        var batch = Batch(10, interval);
        var pace = new BatchPace(clock, _ => 0);
        var started = new List<DateTimeOffset>();

        for (var i = 0; i < 10; i++)
        {
            var wait = pace.WaitAsync(batch, i, CancellationToken.None);
            while (!wait.IsCompleted)
                clock.Advance(TimeSpan.FromMilliseconds(10));
            if (await wait)
                started.Add(clock.GetUtcNow());
        }

        // Window: Start .. Start+1000 ms, plus 100 ms of tolerance. Nine slots were already past at 900 ms; the first
        // send goes at once as if planned 50 ms ago, the rest keep the interval from there.
        Assert.Equal([Start.AddMilliseconds(900), Start.AddMilliseconds(950), Start.AddMilliseconds(1050)], started);
    }

    [Fact]
    public async Task WakingUpLateDoesNotMoveTheSlotsAfter()
    {
        var clock = new FakeTimeProvider(Start);
        var batch = Batch(100, TimeSpan.FromMilliseconds(1));
        var pace = new BatchPace(clock, _ => 0);
        var started = new List<DateTimeOffset>();

        for (var i = 0; i < 100; i++)
        {
            var wait = pace.WaitAsync(batch, i, CancellationToken.None);
            // Timers wake up late: here up to 1.4 ms after they were due.
            while (!wait.IsCompleted)
                clock.Advance(TimeSpan.FromMilliseconds(1.4));
            Assert.True(await wait);
            started.Add(clock.GetUtcNow());
        }

        // 100 slots 1 ms apart: the last is due at 99 ms and starts by the wake-up after it, 1,000 a second kept.
        Assert.InRange(started[^1], Start.AddMilliseconds(99), Start.AddMilliseconds(100.4));
        Assert.All(started.Select((at, i) => (at, i)), s => Assert.True(s.at >= Start.AddMilliseconds(s.i), $"send {s.i} started before its slot"));
    }

    [Fact]
    public async Task APausedChannelSendsNothing()
    {
        var clock = new FakeTimeProvider(Start);
        var pace = new BatchPace(clock, _ => Start.AddSeconds(3).UtcTicks);
        Assert.False(await pace.WaitAsync(Batch(2, TimeSpan.Zero), 0, CancellationToken.None));
    }
}
