using Microsoft.AspNetCore.Mvc;
using PaperBot.Core.Issues;
using PaperBot.Core.Topics;
using PaperBot.Web;

namespace PaperBot.Pages;

public sealed class IssueModel(IssueReader issues, TopicCatalog catalog) : SitePage(catalog)
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
