using Microsoft.Extensions.Options;
using PaperBot.Core.Configuration;
using PaperBot.Core.Publishing;
using Quartz;

namespace PaperBot.Scheduling;

public sealed class CronPushSchedule(IOptions<ScheduleOptions> options) : IPushSchedule
{
    public string TimeZoneId => options.Value.TimeZone;

    public TimeZoneInfo Zone => options.Value.Zone;

    public DateTimeOffset? NextPushAfter(DateTimeOffset now)
    {
        var cron = new CronExpression(options.Value.WeeklyCron, options.Value.Zone);
        return cron.GetNextValidTimeAfter(now) is { } next ? TimeZoneInfo.ConvertTime(next, options.Value.Zone) : null;
    }
}

public static class PushScheduleRegistration
{
    /// <summary>The weekly slot, known to the command engine (/status) and the command line; Quartz fires it in the host.</summary>
    public static IHostApplicationBuilder AddPushSchedule(this IHostApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<ScheduleOptions>(ScheduleOptions.Section);
        builder.Services.AddSingleton<IPushSchedule, CronPushSchedule>();
        return builder;
    }
}
