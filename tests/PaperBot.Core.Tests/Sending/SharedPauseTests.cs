using System.Collections.Concurrent;
using System.Diagnostics;
using PaperBot.Core.Commands;
using PaperBot.Core.Data;
using PaperBot.Core.Issues;
using PaperBot.Core.Publishing;
using PaperBot.Core.Sending;
using PaperBot.TestServices;

namespace PaperBot.Core.Tests.Sending;

/// <summary>Two instances on one PostgreSQL: a channel-wide 429 one of them gets stops the other's sends too.</summary>
public sealed class SharedPauseTests
{
    /// <summary>Records when each send started, on one clock for both instances; answers one send with a channel-wide 429 once asked to.</summary>
    private sealed class TimedSender(Stopwatch clock) : RecordingSender
    {
        public ConcurrentQueue<TimeSpan> Started { get; } = new();

        /// <summary>When set, the next send is answered with a channel-wide 429 asking for this wait, and the time is kept.</summary>
        public TimeSpan? RateLimitNext { get; set; }

        public TimeSpan? RateLimitedAt { get; private set; }

        public override async Task<SendResult> SendAsync(Recipient recipient, IReadOnlyList<ReplyMessage> messages, int fromPart, CancellationToken cancellationToken)
        {
            Started.Enqueue(clock.Elapsed);
            if (RateLimitNext is { } wait)
            {
                RateLimitNext = null;
                RateLimitedAt = clock.Elapsed;
                return new SendResult(new SendOutcome.RetryAfter(wait, RetryScope.Channel, $"Too Many Requests: retry after {wait.TotalSeconds}"), fromPart);
            }

            return await base.SendAsync(recipient, messages, fromPart, cancellationToken);
        }
    }

    [SkippableFact]
    public async Task AChannelWide429OnOneInstancePausesTheOtherInstancesSendsUntilThePauseIsOver()
    {
        await using var postgres = await PostgresDatabase.CreateAsync();
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:PaperBot"] = postgres.ConnectionString,
            ["Delivery:MessagesPerSecond"] = "20",
            ["Delivery:MaxBatch"] = "5",
        };
        var clock = Stopwatch.StartNew();
        var limited = new TimedSender(clock);
        var other = new TimedSender(clock);
        await using var first = await CoreHarness.StartAsync(settings: settings, provider: StorageOptions.Postgres, senders: limited);
        await using var second = await CoreHarness.StartAsync(settings: settings, provider: StorageOptions.Postgres, senders: other);
        for (var i = 1; i <= 100; i++)
            await first.SendAsync("/start", user: i.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var text = TestFiles.SampleText.Replace("超越 Transformer", "超越 RNN", StringComparison.Ordinal);
        var imported = Assert.IsType<ImportOutcome.Imported>(await first.UseAsync<IssueImporter, ImportOutcome>(i => i.ImportAsync(text, null, "test", CancellationToken.None)));

        Assert.IsType<PublishOutcome.Published>(await first.UseAsync<IssuePublisher, PublishOutcome>(p => p.PublishAsync(imported.IssueId, "test", CancellationToken.None)));
        await Eventually.AssertAsync(() => Task.FromResult(!other.Started.IsEmpty && limited.Started.Count >= 5), "both instances to be sending");
        var pause = TimeSpan.FromSeconds(6);
        limited.RateLimitNext = pause;
        await first.WaitForDeliveriesAsync(TimeSpan.FromSeconds(60));

        var at = Assert.NotNull(limited.RateLimitedAt);
        // Sends may start until the other instance next reads the channel's state, four times a second; two seconds
        // leave room for a machine under load (a CI run saw a read come later than half a second). None starts after
        // that until the pause Telegram asked for is over.
        var quiet = (From: at + TimeSpan.FromSeconds(2), To: at + pause - TimeSpan.FromMilliseconds(50));
        Assert.DoesNotContain(other.Started, t => t > quiet.From && t < quiet.To);
        Assert.DoesNotContain(limited.Started, t => t > at && t < quiet.To);
        Assert.Contains(other.Started, t => t >= at + pause);
        Assert.Equal(100, other.SentTo.Count + limited.SentTo.Count);
    }
}
