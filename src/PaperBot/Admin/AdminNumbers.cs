using System.Globalization;
using Microsoft.EntityFrameworkCore;
using PaperBot.Core.Data;
using PaperBot.Core.Publishing;
using PaperBot.Core.Stats;
using PaperBot.Core.Subscribers;
using PaperBot.Core.Topics;

namespace PaperBot.Admin;

/// <summary>The dashboard's numbers, shaped for <see cref="SvgCharts"/>; the counting itself is <see cref="StatsReport"/>'s.</summary>
public sealed class AdminNumbers(PaperBotDbContext db, StatsReport stats, TopicCatalog catalog, AdminTime time)
{
    public const int RecentPushes = 12;

    public Task<Stats> StatsAsync(CancellationToken cancellationToken) => stats.BuildAsync(RecentPushes, cancellationToken);

    /// <summary>Today's active subscribers, counted up by the day each subscribed (in the schedule's time zone).</summary>
    public async Task<IReadOnlyList<DayCount>> GrowthAsync(CancellationToken cancellationToken)
    {
        var since = await db.Subscribers.AsNoTracking()
            .Where(s => s.Status == SubscriberStatus.Active && s.Channel != Channel.Web)
            .Select(s => s.SubscribedAt ?? s.CreatedAt)
            .ToListAsync(cancellationToken);
        return Cumulative(since.Select(at => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, time.Zone).DateTime)), DateOnly.FromDateTime(time.Now.DateTime));
    }

    /// <summary>One point per day from the first to <paramref name="today"/>, each the running total.</summary>
    public static IReadOnlyList<DayCount> Cumulative(IEnumerable<DateOnly> days, DateOnly today)
    {
        var perDay = days.GroupBy(d => d).ToDictionary(g => g.Key, g => g.Count());
        if (perDay.Count == 0)
            return [];
        var first = perDay.Keys.Min();
        var last = perDay.Keys.Max() > today ? perDay.Keys.Max() : today;
        var result = new List<DayCount>();
        var total = 0;
        for (var day = first; day <= last; day = day.AddDays(1))
        {
            total += perDay.GetValueOrDefault(day);
            result.Add(new DayCount(day, total));
        }

        return result;
    }

    public static IReadOnlyList<StackedBar> Deliveries(Stats numbers) =>
        numbers.Pushes
            .Where(p => p.Kind == PushKind.Issue)
            .OrderBy(p => p.PushId)
            .Select(p => new StackedBar(
                p.IssueId is { } issue ? string.Create(CultureInfo.InvariantCulture, $"#{issue}") : $"push {p.PushId}",
                [
                    new BarSegment("sent", p.Sent), new BarSegment("skipped", p.Skipped), new BarSegment("blocked", p.Blocked),
                    new BarSegment("failed", p.Failed), new BarSegment("waiting", p.Waiting),
                ]))
            .ToList();

    public IReadOnlyList<LabelledValue> Topics(Stats numbers) =>
        numbers.Topics.Select(t => new LabelledValue(catalog.Find(t.Topic)?.Names.En ?? t.Topic, t.Subscribers)).ToList();
}
