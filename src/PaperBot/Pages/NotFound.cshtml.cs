using Microsoft.Extensions.Options;
using PaperBot.Core.Topics;
using PaperBot.Scheduling;

namespace PaperBot.Pages;

/// <summary>What a browser sees for a public page that is not there (<see cref="Web.StatusPages"/>).</summary>
public sealed class NotFoundModel(TopicCatalog catalog, IOptions<ScheduleOptions> schedule) : SitePage(catalog, schedule)
{
    public void OnGet() => Response.StatusCode = StatusCodes.Status404NotFound;
}
