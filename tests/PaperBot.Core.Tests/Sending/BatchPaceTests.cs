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
    public async Task ALateProcessKeepsTheSpacingAndHandsBackWhatNoLongerFitsTheWindow()
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

        // Window: Start .. Start+1000 ms, plus 100 ms of tolerance. Nine slots were already past at 900 ms.
        Assert.Equal([Start.AddMilliseconds(900), Start.AddMilliseconds(1000), Start.AddMilliseconds(1100)], started);
    }

    [Fact]
    public async Task APausedChannelSendsNothing()
    {
        var clock = new FakeTimeProvider(Start);
        var pace = new BatchPace(clock, _ => Start.AddSeconds(3).UtcTicks);
        Assert.False(await pace.WaitAsync(Batch(2, TimeSpan.Zero), 0, CancellationToken.None));
    }
}
