using PaperBot.Core.Data;
using Quartz;

namespace PaperBot.Scheduling;

public static class SchedulingRegistration
{
    /// <summary>
    /// Quartz with a persistent job store, so the weekly trigger remembers its last fire across restarts, where the
    /// storage dialect says (<see cref="StorageDialect.SchedulerConnectionString"/>). Changed settings replace the
    /// trigger relative to the old one, so a missed slot still fires once.
    /// </summary>
    public static IHostApplicationBuilder AddScheduling(this IHostApplicationBuilder builder)
    {
        var schedule = builder.Configuration.GetSection(ScheduleOptions.Section).Get<ScheduleOptions>() ?? new ScheduleOptions();
        var dialect = StorageRegistration.Dialect(builder.Configuration);
        if (schedule.Validate().Any() || !TimeZoneInfo.TryFindSystemTimeZoneById(schedule.TimeZone, out var zone))
            return builder; // ScheduleOptions validation stops the host with the reason.

        builder.Services.Configure<QuartzOptions>(options =>
        {
            options.Scheduling.OverwriteExistingData = true;
            options.Scheduling.ScheduleTriggerRelativeToReplacedTrigger = true;
        });
        builder.Services.AddQuartz(quartz =>
        {
            quartz.ConfigureScheduler(scheduler =>
            {
                scheduler.InstanceName = "PaperBot";
                scheduler.GenerateInstanceId = true;
                scheduler.DefaultTimeZone = zone;
            });
            quartz.UsePersistentStore(store =>
            {
                // Quartz's adapters are its own types, which Core does not name: the dialect says how many instances
                // share the database, and that decides the adapter.
                if (dialect.ServesSeveralInstances)
                {
                    // Several instances on one database form one Quartz cluster: a trigger fires on one of them, and
                    // if that instance dies, another recovers the job after the check-in threshold.
                    store.UsePostgres(dialect.SchedulerConnectionString);
                    store.UseClustering(cluster =>
                    {
                        cluster.CheckinInterval = ClusterCheckin;
                        cluster.CheckinMisfireThreshold = ClusterCheckin * 2;
                    });
                }
                else
                {
                    store.UseSqlite(dialect.SchedulerConnectionString);
                }

                store.ProvisionSchema();
            });

            quartz.ScheduleJob<WeeklyPushJob>(
                trigger => trigger.WithIdentity("weekly-push", "paperbot")
                    .WithCronSchedule(schedule.WeeklyCron, cron => cron.InTimeZone(zone).WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed)),
                job => job.WithIdentity(WeeklyPushJob.Key).RequestRecovery());
            quartz.ScheduleJob<DueIssuesJob>(
                trigger => trigger.WithIdentity("due-issues", "paperbot").StartNow()
                    .WithSimpleSchedule(simple => simple.WithInterval(TimeSpan.FromMinutes(1)).RepeatForever().WithMisfireInstruction(SimpleTriggerMisfireInstruction.NowWithRemainingCount)),
                job => job.WithIdentity(DueIssuesJob.Key));
        });
        // The triggers kept in the database are replaced at each start: a changed Schedule:WeeklyCron fires on its new day only.
        builder.Services.Configure<QuartzOptions>(options => options.Scheduling.OverwriteExistingData = true);
        // The scheduler starts once the host serves: its store and first triggers are not on the way to healthy.
        builder.Services.Configure<QuartzHostedServiceOptions>(options =>
        {
            options.WaitForJobsToComplete = true;
            options.AwaitApplicationStarted = true;
        });
        builder.Services.AddSingleton<IHostedService, BoundedQuartzHostedService>();
        return builder;
    }

    public static readonly TimeSpan ClusterCheckin = TimeSpan.FromSeconds(10);
}
