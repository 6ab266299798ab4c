using System.Globalization;
using Microsoft.Extensions.Options;
using PaperBot.Core.Issues;
using PaperBot.Core.Publishing;
using PaperBot.Scheduling;

namespace PaperBot.Cli;

public static class PublishVerb
{
    public static readonly Verb Definition = new(
        "publish", "publish ISSUE [--at TIME | --next | --unschedule]",
        "publish now (queues one delivery per subscriber); or mark ready for a time or the next weekly push; or back to draft",
        RunAsync, "at")
    {
        Flags = ["next", "unschedule"],
        MaxArguments = 1,
        Validate = Check,
    };

    private static readonly string[] LocalFormats = ["yyyy-MM-dd HH:mm", "yyyy-MM-ddTHH:mm", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-ddTHH:mm:ss"];

    private static int? Check(VerbContext context)
    {
        if (context.Arguments.Count != 1 || !int.TryParse(context.Arguments[0], out _))
            return context.UsageError("give one issue id (see: issues)");
        if (context.Options.Count > 1)
            return context.UsageError("give at most one of --at, --next and --unschedule");
        if (context.Option("at") is { } text && ParseTime(text, Zone(context)) is { Problem: { } problem } refused)
            return context.UsageError(refused.Twice ? $"{problem}; give it in ISO 8601 with the offset you mean" : problem);
        return null;
    }

    private static async Task<int> RunAsync(VerbContext context)
    {
        var issueId = int.Parse(context.Arguments[0], CultureInfo.InvariantCulture);
        if (context.Flag("unschedule"))
            return Report(context, await context.Get<IssueScheduler>().UnscheduleAsync(issueId, "cli", context.CancellationToken));
        if (context.Flag("next"))
            return Report(context, await context.Get<IssueScheduler>().ScheduleAsync(issueId, null, "cli", context.CancellationToken));
        if (context.Option("at") is { } text)
        {
            var at = ParseTime(text, Zone(context)).At!.Value;
            return Report(context, await context.Get<IssueScheduler>().ScheduleAsync(issueId, at, "cli", context.CancellationToken));
        }

        var outcome = await context.Get<IssuePublisher>().PublishAsync(issueId, "cli", context.CancellationToken);
        return outcome switch
        {
            PublishOutcome.Published published => context.Done($"published issue {published.IssueId}: {published.Recipients} deliveries queued (push {published.PushId}); the running bot sends them"),
            PublishOutcome.AlreadyPublished already => context.Fail($"issue {already.IssueId} was already published on {already.At:yyyy-MM-dd HH:mm} UTC"),
            PublishOutcome.IssueMissing => context.Fail($"there is no issue {issueId} (see: issues)"),
            _ => context.Fail("nothing to publish"),
        };
    }

    /// <summary>A local time in the schedule's zone (<see cref="LocalTime"/>), or ISO 8601 with an offset.</summary>
    public static LocalTime ParseTime(string text, TimeZoneInfo zone)
    {
        if (DateTime.TryParseExact(text, LocalFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
            return LocalTime.In(zone, local);
        // Without an offset DateTimeOffset.TryParse would read the time in this machine's zone, not the schedule's.
        return DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var parsed) && parsed.Kind != DateTimeKind.Unspecified
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var withOffset) && text.Contains('T', StringComparison.Ordinal)
            ? new LocalTime(withOffset, null)
            : new LocalTime(null, $"'{text}' is not a time; use 'yyyy-MM-dd HH:mm' (in {zone.Id}) or ISO 8601 with an offset");
    }

    private static TimeZoneInfo Zone(VerbContext context) => context.Get<IOptions<ScheduleOptions>>().Value.Zone;

    private static int Report(VerbContext context, ScheduleOutcome outcome) => outcome switch
    {
        ScheduleOutcome.Scheduled { At: null } scheduled => context.Done($"issue {scheduled.IssueId} is ready for the next weekly push"),
        ScheduleOutcome.Scheduled scheduled => context.Done($"issue {scheduled.IssueId} will be published at {scheduled.At:yyyy-MM-dd HH:mm} UTC"),
        ScheduleOutcome.Unscheduled unscheduled => context.Done($"issue {unscheduled.IssueId} is a draft again"),
        ScheduleOutcome.IssueMissing missing => context.Fail($"there is no issue {missing.IssueId} (see: issues)"),
        ScheduleOutcome.AlreadyPublished published => context.Fail($"issue {published.IssueId} is already published"),
        ScheduleOutcome.InThePast past => context.Fail($"{past.At:yyyy-MM-dd HH:mm zzz} is in the past"),
        _ => context.Fail("unexpected outcome"),
    };
}
