using Microsoft.Data.Sqlite;
using PaperBot.Core.Data;
using Quartz;

namespace PaperBot.Scheduling;

public static class SchedulingRegistration
{
    /// <summary>
    /// Quartz with a persistent job store, so the weekly trigger remembers its last fire across restarts:
    /// on SQLite its own file beside the database (the delivery engine's writes never wait for it), on PostgreSQL
    /// the same database. Changed settings replace the trigger relative to the old one, so a missed slot still fires once.
    /// </summary>
    public static IHostApplicationBuilder AddScheduling(this IHostApplicationBuilder builder)
    {
        var schedule = builder.Configuration.GetSection(ScheduleOptions.Section).Get<ScheduleOptions>() ?? new ScheduleOptions();
        var storage = builder.Configuration.GetSection(StorageOptions.Section).Get<StorageOptions>() ?? new StorageOptions();
        var connectionString = builder.Configuration.GetConnectionString(StorageRegistration.ConnectionStringName) ?? "";
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
                if (storage.IsPostgres)
                {
                    // Several instances on one database form one Quartz cluster: a trigger fires on one of them, and
                    // if that instance dies, another recovers the job after the check-in threshold.
                    store.UsePostgres(connectionString);
                    store.UseClustering(cluster =>
                    {
                        cluster.CheckinInterval = ClusterCheckin;
                        cluster.CheckinMisfireThreshold = ClusterCheckin * 2;
                    });
                }
                else
                {
                    store.UseSqlite(QuartzSqliteConnectionString(connectionString));
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
        builder.Services.AddQuartzHostedService(options => options.WaitForJobsToComplete = true);
        return builder;
    }

    public static readonly TimeSpan ClusterCheckin = TimeSpan.FromSeconds(10);

    /// <summary>quartz.db beside the bot's own database file.</summary>
    public static string QuartzSqliteConnectionString(string connectionString)
    {
        var database = new SqliteConnectionStringBuilder(SqliteConnectionStrings.Prepare(connectionString));
        var directory = Path.GetDirectoryName(Path.GetFullPath(database.DataSource)) ?? ".";
        return new SqliteConnectionStringBuilder { DataSource = Path.Combine(directory, "quartz.db"), DefaultTimeout = 30 }.ToString();
    }
}
