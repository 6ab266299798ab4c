using Microsoft.AspNetCore.Antiforgery;
using Microsoft.Extensions.Options;
using PaperBot.Core.Issues;
using PaperBot.Core.Topics;
using PaperBot.Scheduling;
using PaperBot.Web;

namespace PaperBot.Pages;

public sealed class IndexModel(IssueReader issues, TopicCatalog catalog, IOptions<ScheduleOptions> schedule, IAntiforgery antiforgery) : SitePage(catalog, schedule)
{
    public Issue? Latest { get; private set; }
    public IReadOnlyList<IssueSummary> Archive { get; private set; } = [];

    /// <summary>For an admin's session only: the token the console sends with each message, so admin commands work there.</summary>
    public string? ConsoleToken { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Latest = await issues.LatestPublishedAsync(cancellationToken);
        Archive = await issues.ListAsync(includeUnpublished: false, limit: 100, cancellationToken);
        if (WebAdmin.IsAdmin(HttpContext))
            ConsoleToken = antiforgery.GetAndStoreTokens(HttpContext).RequestToken;
    }
}
