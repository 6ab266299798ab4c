using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PaperBot.Core.Data;
using PaperBot.Core.Sending;

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

public sealed class PushProgress(PaperBotDbContext db, StatsReport stats, TimeProvider clock, IOptions<DeliveryOptions> options)
{
    private static readonly TimeSpan RateWindow = TimeSpan.FromSeconds(30);

    public async Task<Progress?> ReadAsync(int pushId, CancellationToken cancellationToken)
    {
        if (await stats.LedgerAsync(pushId, cancellationToken) is not { } ledger)
            return null;
        var since = clock.GetUtcNow() - RateWindow;
        var recent = await db.Deliveries.CountAsync(d => d.PushId == pushId && d.SentAt != null && d.SentAt >= since, cancellationToken);
        var measured = recent / RateWindow.TotalSeconds;
        var rate = measured > 0 ? measured : options.Value.MessagesPerSecond;
        return new Progress(ledger, measured, rate > 0 ? TimeSpan.FromSeconds(ledger.Pending / rate) : null);
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
