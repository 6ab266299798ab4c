using System.Globalization;

namespace PaperBot.Scheduling;

/// <summary>A wall-clock time in the schedule's zone as a moment, or why it is none.</summary>
public sealed record LocalTime(DateTimeOffset? At, string? Problem)
{
    /// <summary>
    /// The moment <paramref name="local"/> names in <paramref name="zone"/>. A time the clocks skip (the spring
    /// daylight-saving gap) or pass twice (the autumn fold) is refused with the reason rather than guessed.
    /// </summary>
    public static LocalTime In(TimeZoneInfo zone, DateTime local)
    {
        var unspecified = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        var shown = unspecified.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
        if (zone.IsInvalidTime(unspecified))
            return new LocalTime(null, $"{shown} does not exist in {zone.Id}: the clocks skip it when daylight saving time begins");
        if (zone.IsAmbiguousTime(unspecified))
        {
            var offsets = string.Join(" or ", zone.GetAmbiguousTimeOffsets(unspecified).Order().Select(Offset));
            return new LocalTime(null, $"{shown} happens twice in {zone.Id} as daylight saving time ends; give it with an offset ({offsets})");
        }

        return new LocalTime(new DateTimeOffset(unspecified, zone.GetUtcOffset(unspecified)), null);
    }

    private static string Offset(TimeSpan offset) =>
        (offset < TimeSpan.Zero ? "-" : "+") + offset.Duration().ToString(@"hh\:mm", CultureInfo.InvariantCulture);
}
