using Microsoft.EntityFrameworkCore;
using PaperBot.Core.Data;

namespace PaperBot.Core.Issues;

public abstract record ScheduleOutcome
{
    public sealed record Scheduled(int IssueId, DateTimeOffset? At) : ScheduleOutcome;

    public sealed record Unscheduled(int IssueId) : ScheduleOutcome;

    public sealed record IssueMissing(int IssueId) : ScheduleOutcome;

    public sealed record AlreadyPublished(int IssueId) : ScheduleOutcome;

    public sealed record InThePast(DateTimeOffset At) : ScheduleOutcome;
}

/// <summary>Marks an issue ready for the weekly push (or for a given moment), or back to draft.</summary>
public sealed class IssueScheduler(PaperBotDbContext db, TimeProvider clock)
{
    /// <param name="at">null = the next weekly slot.</param>
    public async Task<ScheduleOutcome> ScheduleAsync(int issueId, DateTimeOffset? at, string actor, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (at is { } moment && moment <= now)
            return new ScheduleOutcome.InThePast(moment);
        var scheduledFor = at?.ToUniversalTime();
        if (await ChangeUnlessPublishedAsync(issueId, IssueStatus.Scheduled, scheduledFor, cancellationToken) is { } refused)
            return refused;
        db.Audit(now, actor, "schedule", at is { } when ? $"issue {issueId} at {when:O}" : $"issue {issueId} for the next weekly push");
        await db.SaveChangesAsync(cancellationToken);
        return new ScheduleOutcome.Scheduled(issueId, scheduledFor);
    }

    public async Task<ScheduleOutcome> UnscheduleAsync(int issueId, string actor, CancellationToken cancellationToken)
    {
        if (await ChangeUnlessPublishedAsync(issueId, IssueStatus.Draft, null, cancellationToken) is { } refused)
            return refused;
        db.Audit(clock.GetUtcNow(), actor, "unschedule", $"issue {issueId}");
        await db.SaveChangesAsync(cancellationToken);
        return new ScheduleOutcome.Unscheduled(issueId);
    }

    /// <summary>
    /// A conditional update, not a read-then-write: an issue the weekly push publishes meanwhile stays published. Read
    /// first, it would be written back as a draft with its push on the way, and could then be published a second time.
    /// </summary>
    private async Task<ScheduleOutcome?> ChangeUnlessPublishedAsync(int issueId, IssueStatus status, DateTimeOffset? scheduledFor, CancellationToken cancellationToken)
    {
        var changed = await db.Issues.Where(i => i.Id == issueId && i.Status != IssueStatus.Published)
            .ExecuteUpdateAsync(i => i.SetProperty(x => x.Status, status).SetProperty(x => x.ScheduledFor, scheduledFor), cancellationToken);
        if (changed > 0)
            return null;
        return await db.Issues.AnyAsync(i => i.Id == issueId, cancellationToken)
            ? new ScheduleOutcome.AlreadyPublished(issueId)
            : new ScheduleOutcome.IssueMissing(issueId);
    }
}
