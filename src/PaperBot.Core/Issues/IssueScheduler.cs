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
        var issue = await db.Issues.FirstOrDefaultAsync(i => i.Id == issueId, cancellationToken);
        if (issue is null)
            return new ScheduleOutcome.IssueMissing(issueId);
        if (issue.Status == IssueStatus.Published)
            return new ScheduleOutcome.AlreadyPublished(issueId);

        issue.Status = IssueStatus.Scheduled;
        issue.ScheduledFor = at?.ToUniversalTime();
        db.Audit(now, actor, "schedule", at is { } when ? $"issue {issueId} at {when:O}" : $"issue {issueId} for the next weekly push");
        await db.SaveChangesAsync(cancellationToken);
        return new ScheduleOutcome.Scheduled(issueId, issue.ScheduledFor);
    }

    public async Task<ScheduleOutcome> UnscheduleAsync(int issueId, string actor, CancellationToken cancellationToken)
    {
        var issue = await db.Issues.FirstOrDefaultAsync(i => i.Id == issueId, cancellationToken);
        if (issue is null)
            return new ScheduleOutcome.IssueMissing(issueId);
        if (issue.Status == IssueStatus.Published)
            return new ScheduleOutcome.AlreadyPublished(issueId);

        issue.Status = IssueStatus.Draft;
        issue.ScheduledFor = null;
        db.Audit(clock.GetUtcNow(), actor, "unschedule", $"issue {issueId}");
        await db.SaveChangesAsync(cancellationToken);
        return new ScheduleOutcome.Unscheduled(issueId);
    }
}
