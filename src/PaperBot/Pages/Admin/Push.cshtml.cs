using Microsoft.AspNetCore.Mvc;
using PaperBot.Admin;
using PaperBot.Core.Stats;

namespace PaperBot.Pages.Admin;

/// <summary>A push's live progress; admin.js keeps it current from /admin/api/pushes/{id}/events. Why deliveries failed is read once, with the page.</summary>
public sealed class PushModel(PushProgress progress, StatsReport stats, AdminTime time) : AdminPage
{
    public AdminTime Time => time;
    public Progress Progress { get; private set; } = null!;
    public PushReasons Reasons { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken cancellationToken)
    {
        if (await progress.ReadAsync(id, cancellationToken) is not { } now)
            return NotFound();
        Progress = now;
        Reasons = await stats.ReasonsAsync(now.Ledger, StatsReport.TopReasons, cancellationToken);
        return Page();
    }
}
