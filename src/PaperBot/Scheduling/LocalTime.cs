using System.Globalization;

namespace PaperBot.Scheduling;

/// <summary>Which of the two moments a wall-clock time names when the clocks pass it twice (the autumn fold).</summary>
public enum Occurrence
{
    Unsaid,
    First,
    Second,
}

/// <summary>
/// A wall-clock time in the schedule's zone as a moment, or why it is none; <see cref="Twice"/> when the clocks read it
/// twice and the caller must ask which (the command line takes an offset, the admin form a choice).
/// </summary>
public sealed record LocalTime(DateTimeOffset? At, string? Problem, bool Twice = false)
{
    /// <summary>
    /// The moment <paramref name="local"/> names in <paramref name="zone"/>. A time the clocks skip (the spring
    /// daylight-saving gap) is refused with the reason; one they pass twice (the autumn fold) is refused unless
    /// <paramref name="occurrence"/> says which of the two is meant, rather than guessed.
    /// </summary>
    public static LocalTime In(TimeZoneInfo zone, DateTime local, Occurrence occurrence = Occurrence.Unsaid)
    {
        var unspecified = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        var shown = unspecified.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
        if (zone.IsInvalidTime(unspecified))
            return new LocalTime(null, $"{shown} does not exist in {zone.Id}: the clocks skip it when daylight saving time begins");
        if (zone.IsAmbiguousTime(unspecified))
        {
            // The larger offset is the earlier moment: the clocks read this time first before they are put back.
            var offsets = zone.GetAmbiguousTimeOffsets(unspecified).OrderDescending().ToArray();
            return occurrence switch
            {
                Occurrence.First => new LocalTime(new DateTimeOffset(unspecified, offsets[0]), null),
                Occurrence.Second => new LocalTime(new DateTimeOffset(unspecified, offsets[^1]), null),
                _ => new LocalTime(null, $"{shown} happens twice in {zone.Id} as daylight saving time ends, first at {Offset(offsets[0])} and then at {Offset(offsets[^1])}", Twice: true),
            };
        }

        return new LocalTime(new DateTimeOffset(unspecified, zone.GetUtcOffset(unspecified)), null);
    }

    public static string Offset(TimeSpan offset) =>
        (offset < TimeSpan.Zero ? "-" : "+") + offset.Duration().ToString(@"hh\:mm", CultureInfo.InvariantCulture);
}
