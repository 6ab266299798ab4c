using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using PaperBot.Core.Data;
using PaperBot.Core.Issues;

namespace PaperBot.Core.Publishing;

/// <summary>What the scheduler's jobs do: the weekly push, and issues an admin scheduled for a given moment.</summary>
public sealed class ScheduledPublishing(PaperBotDbContext db, IssuePublisher publisher, TimeProvider clock, ILogger<ScheduledPublishing> logger)
{
    public const string Actor = "schedule";
    public const string WeeklyActor = "schedule:weekly";
    public const string WeeklyFailedAction = "weekly-failed";

    /// <summary>
    /// Publishes the oldest issue marked ready for the weekly slot; logs and does nothing when there is none.
    /// At most one issue per slot: a slot run again (the job recovered on another instance after a crash) finds
    /// its issue already published and stops.
    /// </summary>
    public async Task<PublishOutcome?> PublishWeeklyAsync(DateTimeOffset slot, CancellationToken cancellationToken)
    {
        if (await db.Pushes.AnyAsync(p => p.Kind == PushKind.Issue && p.CreatedBy == WeeklyActor && p.CreatedAt >= slot, cancellationToken))
        {
            logger.LogInformation("schedule: the weekly push of {Slot} already published an issue; nothing more sent", slot);
            return null;
        }

        var ready = await db.Issues
            .Where(i => i.Status == IssueStatus.Scheduled && i.ScheduledFor == null)
            .OrderBy(i => i.Id)
            .Select(i => (int?)i.Id)
            .FirstOrDefaultAsync(cancellationToken);
        if (ready is null)
        {
            logger.LogInformation("schedule: weekly push found no issue marked ready; nothing sent");
            return null;
        }

        return await publisher.PublishAsync(ready, WeeklyActor, cancellationToken);
    }

    /// <summary>
    /// When subscribers next get an issue (for /status), in the schedule's zone: the first issue scheduled for a moment,
    /// or the weekly slot if it comes first and an issue is marked ready for it. With nothing scheduled at all it is the
    /// weekly slot, the digest's rhythm: editors mark the week's issue ready before it.
    /// </summary>
    public async Task<DateTimeOffset?> NextPushAsync(IPushSchedule schedule, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var weekly = schedule.NextPushAfter(now);
        var moment = await db.Issues
            .Where(i => i.Status == IssueStatus.Scheduled && i.ScheduledFor != null && i.ScheduledFor > now)
            .OrderBy(i => i.ScheduledFor)
            .Select(i => i.ScheduledFor)
            .FirstOrDefaultAsync(cancellationToken);
        if (moment is not { } at)
            return weekly;
        var readyForWeekly = await db.Issues.AnyAsync(i => i.Status == IssueStatus.Scheduled && i.ScheduledFor == null, cancellationToken);
        return readyForWeekly && weekly is { } slot && slot < at ? slot : TimeZoneInfo.ConvertTime(at, schedule.Zone);
    }

    /// <summary>For admins (the dashboard, the audit log): the weekly push of <paramref name="slot"/> failed, and when it is tried again.</summary>
    public async Task RecordWeeklyFailureAsync(DateTimeOffset slot, int attempt, string reason, DateTimeOffset? retryAt, CancellationToken cancellationToken)
    {
        var next = retryAt is { } at ? $"trying again at {at:yyyy-MM-dd HH:mm} UTC" : "giving up; publish the issue from the admin page or with 'publish ISSUE'";
        // What the failed attempt left in the unit of work must not be written with the record of its failure.
        db.ChangeTracker.Clear();
        db.Audit(clock.GetUtcNow(), WeeklyActor, WeeklyFailedAction, $"the weekly push of {slot:yyyy-MM-dd HH:mm} UTC failed (attempt {attempt}): {reason}; {next}");
        await db.SaveChangesAsync(cancellationToken);
        logger.LogError("schedule: the weekly push of {Slot} failed (attempt {Attempt}): {Reason}; {Next}", slot, attempt, reason, next);
    }

    /// <summary>Publishes every issue scheduled for a moment that has come, oldest first.</summary>
    public async Task<int> PublishDueAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var due = await db.Issues
            .Where(i => i.Status == IssueStatus.Scheduled && i.ScheduledFor != null && i.ScheduledFor <= now)
            .OrderBy(i => i.ScheduledFor).ThenBy(i => i.Id)
            .Select(i => i.Id)
            .ToListAsync(cancellationToken);
        foreach (var id in due)
            await publisher.PublishAsync(id, Actor, cancellationToken);
        return due.Count;
    }
}
