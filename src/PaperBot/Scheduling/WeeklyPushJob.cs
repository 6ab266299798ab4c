using Microsoft.Extensions.Options;
using PaperBot.Core.Publishing;
using Quartz;

namespace PaperBot.Scheduling;

/// <summary>
/// Fires on <c>Schedule:WeeklyCron</c> in <c>Schedule:TimeZone</c>; a slot missed while the host was down fires once when
/// it is back. A run that fails (the database away, say) is tried again for the same slot after
/// <see cref="ScheduleOptions.RetryDelay"/>, doubling up to an hour, <see cref="ScheduleOptions.MaxRetries"/> times, and
/// each failure is shown to admins: a week is never lost without a word.
/// </summary>
[DisallowConcurrentExecution]
public sealed class WeeklyPushJob(ScheduledPublishing publishing, IOptions<ScheduleOptions> options, TimeProvider clock, ILogger<WeeklyPushJob> logger) : IJob
{
    public static readonly JobKey Key = new("weekly-push", "paperbot");

    private const string SlotKey = "slot";
    private const string AttemptKey = "attempt";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var data = context.MergedJobDataMap;
        var slot = data.ContainsKey(SlotKey) ? new DateTimeOffset(data.GetLong(SlotKey), TimeSpan.Zero) : context.ScheduledFireTimeUtc ?? context.FireTimeUtc;
        var attempt = (data.ContainsKey(AttemptKey) ? data.GetInt(AttemptKey) : 0) + 1;
        try
        {
            await publishing.PublishWeeklyAsync(slot, cancellationToken);
        }
        catch (Exception error) when (!cancellationToken.IsCancellationRequested)
        {
            var retryAt = attempt <= options.Value.MaxRetries ? clock.GetUtcNow() + Delay(attempt) : (DateTimeOffset?)null;
            try
            {
                await publishing.RecordWeeklyFailureAsync(slot, attempt, error.Message, retryAt, cancellationToken);
            }
            catch (Exception recording)
            {
                logger.LogError(recording, "schedule: the weekly push of {Slot} failed and the failure could not be recorded", slot);
            }

            if (retryAt is { } at)
            {
                await context.Scheduler.ScheduleJob(TriggerBuilder.Create()
                    .ForJob(Key)
                    .UsingJobData(SlotKey, slot.UtcTicks)
                    .UsingJobData(AttemptKey, attempt)
                    .StartAt(at)
                    .Build(), new ScheduleJobOptions(), cancellationToken);
            }
        }
    }

    private TimeSpan Delay(int attempt) =>
        TimeSpan.FromTicks(Math.Min(TimeSpan.FromHours(1).Ticks, options.Value.RetryDelay.Ticks * (1L << Math.Min(attempt - 1, 20))));
}

/// <summary>Every minute: publishes issues an admin scheduled for a moment that has come.</summary>
[DisallowConcurrentExecution]
public sealed class DueIssuesJob(ScheduledPublishing publishing) : IJob
{
    public static readonly JobKey Key = new("due-issues", "paperbot");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) =>
        await publishing.PublishDueAsync(cancellationToken);
}
