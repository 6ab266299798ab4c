using System.Globalization;
using Microsoft.Extensions.Options;
using PaperBot.Scheduling;

namespace PaperBot.Admin;

/// <summary>Times on the admin page, in the schedule's time zone (Schedule:TimeZone), the zone admins schedule in.</summary>
public sealed class AdminTime(IOptions<ScheduleOptions> options, TimeProvider clock)
{
    public TimeZoneInfo Zone => options.Value.Zone;

    public string ZoneId => options.Value.TimeZone;

    public DateTimeOffset Now => TimeZoneInfo.ConvertTime(clock.GetUtcNow(), Zone);

    /// <summary>A moment as the zone's clocks read it, with the offset when they read that time twice that day.</summary>
    public string Show(DateTimeOffset? at)
    {
        if (at is not { } value)
            return "—";
        var local = TimeZoneInfo.ConvertTime(value, Zone);
        var shown = local.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
        return Zone.IsAmbiguousTime(local) ? $"{shown} ({LocalTime.Offset(local.Offset)})" : shown;
    }

    /// <summary>Whether the form should ask which of two moments a time means: only zones that put their clocks back.</summary>
    public bool HasFolds => Zone.GetAdjustmentRules().Any(rule => rule.DaylightDelta != TimeSpan.Zero && rule.DateEnd >= Now.Date);

    /// <summary>A wall-clock time typed in the form (datetime-local), read in the schedule's zone.</summary>
    public LocalTime FromLocal(DateTime local, Occurrence occurrence) => LocalTime.In(Zone, local, occurrence);
}
