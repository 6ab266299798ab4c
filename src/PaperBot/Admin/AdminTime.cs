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

    public string Show(DateTimeOffset? at) =>
        at is { } value ? TimeZoneInfo.ConvertTime(value, Zone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) : "—";

    /// <summary>A wall-clock time typed in the form (datetime-local), read in the schedule's zone.</summary>
    public LocalTime FromLocal(DateTime local) => LocalTime.In(Zone, local);
}
