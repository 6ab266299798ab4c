namespace PaperBot.Core.Publishing;

/// <summary>When the weekly push fires; implemented by the scheduler, which the core does not know.</summary>
public interface IPushSchedule
{
    /// <summary>The time zone the schedule is written in, for display.</summary>
    string TimeZoneId { get; }

    TimeZoneInfo Zone { get; }

    /// <summary>The next weekly push after <paramref name="now"/>, in the schedule's time zone; null when none.</summary>
    DateTimeOffset? NextPushAfter(DateTimeOffset now);
}
