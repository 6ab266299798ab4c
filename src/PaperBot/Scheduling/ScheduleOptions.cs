using PaperBot.Core.Configuration;
using Quartz;

namespace PaperBot.Scheduling;

public sealed class ScheduleOptions : IValidatedOptions
{
    public const string Section = "Schedule";

    /// <summary>A Quartz cron expression (seconds first): Monday 09:00 by default.</summary>
    public string WeeklyCron { get; set; } = "0 0 9 ? * MON";

    public string TimeZone { get; set; } = "Asia/Shanghai";

    /// <summary>How long after a failed weekly push it is tried again; each further retry waits twice as long, at most an hour.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How often a failed weekly push is tried again for its slot.</summary>
    public int MaxRetries { get; set; } = 10;

    public IEnumerable<string> Validate()
    {
        var cron = CronExpression.TryParse(WeeklyCron, out _);
        if (!cron)
            yield return $"Schedule:WeeklyCron '{WeeklyCron}' is not a Quartz cron expression (seconds minutes hours day-of-month month day-of-week, e.g. '0 0 9 ? * MON')";
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(TimeZone, out var zone))
            yield return $"Schedule:TimeZone '{TimeZone}' is not a known time zone id (e.g. Asia/Shanghai, Europe/Berlin, UTC)";
        else if (cron && NeverFires(WeeklyCron, zone))
            yield return $"Schedule:WeeklyCron '{WeeklyCron}' never fires (a date that does not exist, or a year that has passed)";
        else if (cron && TooSoonAfterOne(WeeklyCron, zone) is var (first, second))
            yield return $"Schedule:WeeklyCron '{WeeklyCron}' fires at {first:HH:mm:ss} and again at {second:HH:mm:ss} ({TimeZone}); each firing publishes an issue, so firings must be at least {MinimumGap.TotalHours:0} hours apart";
        if (RetryDelay <= TimeSpan.Zero)
            yield return "Schedule:RetryDelay must be positive, e.g. 00:01:00";
        if (MaxRetries < 0)
            yield return "Schedule:MaxRetries must be 0 or more";
    }

    public TimeZoneInfo Zone => TimeZoneInfo.FindSystemTimeZoneById(TimeZone);

    /// <summary>Below a day, so that a daily push still passes on the day daylight saving time begins (23 hours).</summary>
    public static readonly TimeSpan MinimumGap = TimeSpan.FromHours(20);

    private static bool NeverFires(string cron, TimeZoneInfo zone) =>
        new CronExpression(cron, zone).GetNextValidTimeAfter(DateTimeOffset.UtcNow) is null;

    /// <summary>The first two firings within the coming two weeks that are closer than <see cref="MinimumGap"/>, in the zone; null when none are.</summary>
    private static (DateTime First, DateTime Second)? TooSoonAfterOne(string cron, TimeZoneInfo zone)
    {
        var expression = new CronExpression(cron, zone);
        var now = DateTimeOffset.UtcNow;
        var previous = expression.GetNextValidTimeAfter(now);
        while (previous is { } first && first < now.AddDays(14))
        {
            if (expression.GetNextValidTimeAfter(first) is not { } next)
                return null;
            if (next - first < MinimumGap)
                return (TimeZoneInfo.ConvertTime(first, zone).DateTime, TimeZoneInfo.ConvertTime(next, zone).DateTime);
            previous = next;
        }

        return null;
    }
}
