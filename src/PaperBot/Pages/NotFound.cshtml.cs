using PaperBot.Core.Topics;

namespace PaperBot.Pages;

/// <summary>What a browser sees for a public page that is not there (<see cref="Web.StatusPages"/>).</summary>
public sealed class NotFoundModel(TopicCatalog catalog) : SitePage(catalog)
{
    public void OnGet() => Response.StatusCode = StatusCodes.Status404NotFound;
}
