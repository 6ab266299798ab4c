using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using PaperBot.Core.Issues;
using PaperBot.Core.Topics;
using PaperBot.Scheduling;
using PaperBot.Web;

namespace PaperBot.Pages;

public sealed class IssueModel(IssueReader issues, TopicCatalog catalog, IOptions<ScheduleOptions> schedule) : SitePage(catalog, schedule)
{
    public Issue Issue { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken cancellationToken)
    {
        if (await issues.FindAsync(id, WebAdmin.IsAdmin(HttpContext), cancellationToken) is not { } issue)
            return NotFound();
        Issue = issue;
        return Page();
    }
}
