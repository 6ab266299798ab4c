using Microsoft.EntityFrameworkCore;
using PaperBot.Admin;
using PaperBot.Core.Data;
using PaperBot.Core.Publishing;
using PaperBot.Core.Sending;
using PaperBot.Core.Stats;

namespace PaperBot.Pages.Admin;

public sealed class DashboardModel(AdminNumbers numbers, ChannelHealth health, PaperBotDbContext db, AdminTime time) : AdminPage
{
    public const int AuditEntries = 20;

    public AdminTime Time => time;
    public Stats Stats { get; private set; } = null!;
    public string GrowthChart { get; private set; } = "";
    public string DeliveriesChart { get; private set; } = "";
    public string TopicsChart { get; private set; } = "";
    public IReadOnlyList<AuditEntry> Audit { get; private set; } = [];
    public IReadOnlyList<ChannelCondition> Channels { get; private set; } = [];

    /// <summary>The weekly push's last failure, while no weekly push has succeeded since.</summary>
    public AuditEntry? WeeklyFailure { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Stats = await numbers.StatsAsync(cancellationToken);
        GrowthChart = SvgCharts.Growth(await numbers.GrowthAsync(cancellationToken), "Active subscribers by day");
        DeliveriesChart = SvgCharts.Stacked(AdminNumbers.Deliveries(Stats), "Deliveries per issue");
        TopicsChart = SvgCharts.Horizontal(numbers.Topics(Stats), "Subscribers per topic");
        Audit = await db.AuditLog.AsNoTracking().OrderByDescending(e => e.Id).Take(AuditEntries).ToListAsync(cancellationToken);
        Channels = await health.ReadAsync(cancellationToken);
        WeeklyFailure = await db.AuditLog.AsNoTracking()
            .Where(e => e.Action == ScheduledPublishing.WeeklyFailedAction || e.Actor == ScheduledPublishing.WeeklyActor)
            .OrderByDescending(e => e.Id).FirstOrDefaultAsync(cancellationToken) is { Action: ScheduledPublishing.WeeklyFailedAction } failed ? failed : null;
    }
}
