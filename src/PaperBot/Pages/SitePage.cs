using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;
using PaperBot.Core.Topics;
using PaperBot.Web;

namespace PaperBot.Pages;

/// <summary>A public page: knows the visitor's language and the topic names.</summary>
public abstract class SitePage(TopicCatalog catalog) : PageModel
{
    public SiteText Text { get; private set; } = new("zh");

    public override void OnPageHandlerExecuting(PageHandlerExecutingContext context)
    {
        Text = new SiteText(SiteLanguage.Of(HttpContext));
        ViewData["Text"] = Text;
    }

    public IReadOnlyList<Topic> Catalog => catalog.All;

    public string TopicName(string slug) => catalog.All.FirstOrDefault(t => t.Slug == slug)?.Name(Text.Language) ?? slug;
}
