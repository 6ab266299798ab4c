using Microsoft.AspNetCore.Mvc.Filters;
using System.Globalization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using PaperBot.Core.Topics;
using PaperBot.Scheduling;
using PaperBot.Web;

namespace PaperBot.Pages;

/// <summary>A public page: knows the visitor's language, the topic names and the zone its dates are read in.</summary>
public abstract class SitePage(TopicCatalog catalog, IOptions<ScheduleOptions> schedule) : PageModel
{
    public SiteText Text { get; private set; } = new("zh");

    public override void OnPageHandlerExecuting(PageHandlerExecutingContext context)
    {
        Text = new SiteText(SiteLanguage.Of(HttpContext));
        ViewData["Text"] = Text;
    }

    public IReadOnlyList<Topic> Catalog => catalog.All;

    /// <summary>The day of a moment where the readers are (the schedule's zone): an issue out at 07:00 in Shanghai is of that day, not of the day before in UTC.</summary>
    public string Day(DateTimeOffset? at) =>
        at is { } value ? TimeZoneInfo.ConvertTime(value, schedule.Value.Zone).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : "";

    public string TopicName(string slug) => catalog.All.FirstOrDefault(t => t.Slug == slug)?.Name(Text.Language) ?? slug;
}
