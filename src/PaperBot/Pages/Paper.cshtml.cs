using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using PaperBot.Core.Issues;
using PaperBot.Core.Topics;
using PaperBot.Scheduling;
using PaperBot.Web;

namespace PaperBot.Pages;

/// <summary>One paper on its own page: where WeChat news articles and shared links lead.</summary>
public sealed class PaperModel(IssueReader issues, TopicCatalog catalog, IOptions<ScheduleOptions> schedule) : SitePage(catalog, schedule)
{
    public Issue Issue { get; private set; } = null!;
    public Paper Paper { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(int id, int number, CancellationToken cancellationToken)
    {
        if (await issues.FindAsync(id, WebAdmin.IsAdmin(HttpContext), cancellationToken) is not { } issue
            || issue.Papers.FirstOrDefault(p => p.Number == number) is not { } paper)
            return NotFound();
        (Issue, Paper) = (issue, paper);
        return Page();
    }
}
