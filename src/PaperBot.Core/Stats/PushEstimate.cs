using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PaperBot.Core.Data;
using PaperBot.Core.Sending;
using PaperBot.Core.Subscribers;

namespace PaperBot.Core.Stats;

/// <summary>How long a push will take before it starts: each channel sends its share at its own rate, in parallel.</summary>
public sealed record Estimate(int Recipients, TimeSpan? Duration, double MessagesPerSecond);

public sealed class PushEstimate(PaperBotDbContext db, IOptions<DeliveryOptions> options)
{
    /// <summary>For a queued push: its pending deliveries.</summary>
    public async Task<Estimate> ForPushAsync(int pushId, CancellationToken cancellationToken)
    {
        var counts = await db.PushTallies.AsNoTracking()
            .Where(t => t.PushId == pushId)
            .Select(t => new { t.Channel, t.Pending })
            .ToListAsync(cancellationToken);
        return Combine(counts.Select(c => (c.Channel, c.Pending)));
    }

    /// <summary>For what a push still has to send on each channel, as its ledger says.</summary>
    public Estimate ForPending(PushLedger ledger) => Combine(ledger.PendingByChannel.Select(c => (c.Key, c.Value)));

    /// <summary>For a push not queued yet: everyone it would go to now.</summary>
    public async Task<Estimate> ForAudienceAsync(bool includeChannelPosts, CancellationToken cancellationToken)
    {
        var counts = await db.Subscribers
            .Where(s => s.Status == SubscriberStatus.Active && s.Channel != Channel.Web && (includeChannelPosts || s.Kind != ChatKind.Channel))
            .GroupBy(s => s.Channel)
            .Select(g => new { Channel = g.Key, Count = g.Count() })
            .ToListAsync(cancellationToken);
        return Combine(counts.Select(c => (c.Channel, c.Count)));
    }

    private Estimate Combine(IEnumerable<(Channel Channel, int Count)> counts)
    {
        var perChannel = counts.Select(c => (c.Count, Rate: options.Value.RateFor(c.Channel))).ToList();
        var recipients = perChannel.Sum(c => c.Count);
        if (perChannel.Any(c => c.Rate <= 0) || recipients == 0)
            return new Estimate(recipients, perChannel.All(c => c.Rate <= 0) ? null : Slowest(perChannel.Where(c => c.Rate > 0)), options.Value.MessagesPerSecond);
        return new Estimate(recipients, Slowest(perChannel), perChannel.Max(c => c.Rate));
    }

    private static TimeSpan? Slowest(IEnumerable<(int Count, double Rate)> perChannel) =>
        perChannel.Select(c => TimeSpan.FromSeconds(c.Count / c.Rate)).DefaultIfEmpty(TimeSpan.Zero).Max();
}
