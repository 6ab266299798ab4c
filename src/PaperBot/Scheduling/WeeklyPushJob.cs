using PaperBot.Core.Publishing;
using Quartz;

namespace PaperBot.Scheduling;

/// <summary>Fires on <c>Schedule:WeeklyCron</c> in <c>Schedule:TimeZone</c>; a slot missed while the host was down fires once when it is back.</summary>
[DisallowConcurrentExecution]
public sealed class WeeklyPushJob(ScheduledPublishing publishing) : IJob
{
    public static readonly JobKey Key = new("weekly-push", "paperbot");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) =>
        await publishing.PublishWeeklyAsync(context.ScheduledFireTimeUtc ?? context.FireTimeUtc, cancellationToken);
}

/// <summary>Every minute: publishes issues an admin scheduled for a moment that has come.</summary>
[DisallowConcurrentExecution]
public sealed class DueIssuesJob(ScheduledPublishing publishing) : IJob
{
    public static readonly JobKey Key = new("due-issues", "paperbot");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) =>
        await publishing.PublishDueAsync(cancellationToken);
}
