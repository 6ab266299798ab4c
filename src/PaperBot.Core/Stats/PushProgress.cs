using System.Globalization;

namespace PaperBot.Core.Stats;

/// <summary>A push's progress: the ledger, the rate of the last half minute, and the time left at that rate.</summary>
public sealed record Progress(PushLedger Ledger, double MessagesPerSecond, TimeSpan? Remaining)
{
    public int Percent => Ledger.Recipients == 0 ? 100 : (int)Math.Floor(100.0 * Ledger.Done / Math.Max(Ledger.Recipients, Ledger.Done + Ledger.Pending));

    public string Describe()
    {
        var rate = MessagesPerSecond > 0 ? string.Create(CultureInfo.InvariantCulture, $" · {MessagesPerSecond:0.#} msg/s") : "";
        var eta = Remaining is { } left && Ledger.Pending > 0 ? $" · ETA {Durations.Format(left)}" : "";
        var waiting = Ledger.Waiting > 0 ? $" · waiting for next message {Ledger.Waiting}" : "";
        return $"{Percent}% · sent {Ledger.Sent} · skipped {Ledger.Skipped} · blocked {Ledger.Blocked} · failed {Ledger.Failed} · remaining {Ledger.Pending}{rate}{eta}{waiting}";
    }
}

public sealed class PushProgress(StatsReport stats, PushEstimate estimates, ProgressSamples samples, TimeProvider clock)
{
    public async Task<Progress?> ReadAsync(int pushId, CancellationToken cancellationToken)
    {
        if (await stats.LedgerAsync(pushId, cancellationToken) is not { } ledger)
            return null;
        var (sent, done) = samples.RatesOf(pushId, clock.GetUtcNow(), ledger.Sent, ledger.Done);
        // The time left at the rate deliveries are done, not sent: those skipped (no paper matches) take their send slot
        // too. Before a rate is measured, each channel's own (Telegram's paid broadcasts, WeChat's mass sends).
        return new Progress(ledger, sent, done > 0 ? TimeSpan.FromSeconds(ledger.Pending / done) : estimates.ForPending(ledger).Duration);
    }
}

/// <summary>
/// The rates of the last half minute, from the tallies read for progress: each read leaves a sample, and a rate is the
/// difference to the oldest sample still in the window — no query over deliveries.
/// </summary>
public sealed class ProgressSamples
{
    private static readonly TimeSpan RateWindow = TimeSpan.FromSeconds(30);
    private const int MaxPushes = 64;

    private readonly Lock gate = new();
    private readonly Dictionary<int, Queue<(DateTimeOffset At, int Sent, int Done)>> samples = [];

    /// <returns>Messages sent, and deliveries done (sent, skipped, blocked, failed, waiting), a second over the window; 0 until there are two samples.</returns>
    public (double Sent, double Done) RatesOf(int pushId, DateTimeOffset now, int sent, int done)
    {
        lock (gate)
        {
            if (!samples.TryGetValue(pushId, out var queue))
            {
                if (samples.Count >= MaxPushes)
                    samples.Clear();
                samples[pushId] = queue = new Queue<(DateTimeOffset, int, int)>();
            }

            while (queue.Count > 1 && now - queue.Peek().At > RateWindow)
                queue.Dequeue();
            queue.Enqueue((now, sent, done));
            var (at, sentThen, doneThen) = queue.Peek();
            var seconds = (now - at).TotalSeconds;
            return seconds > 0 ? (Math.Max(0, sent - sentThen) / seconds, Math.Max(0, done - doneThen) / seconds) : (0, 0);
        }
    }
}

public static class Durations
{
    public static string Format(TimeSpan span) => span.TotalHours >= 1
        ? string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalHours}h {span.Minutes:00}m")
        : span.TotalMinutes >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{span.Minutes}m {span.Seconds:00}s")
            : string.Create(CultureInfo.InvariantCulture, $"{Math.Max(1, (int)Math.Ceiling(span.TotalSeconds))}s");
}
