using PaperBot.Core.Issues;
using PaperBot.Core.Topics;

namespace PaperBot.Pages;

public sealed class SearchModel(PaperSearch search, TopicCatalog catalog) : SitePage(catalog)
{
    public const int PageSize = 50;

    public string Query { get; private set; } = "";
    public SearchResult? Result { get; private set; }

    public async Task OnGetAsync(string? q, CancellationToken cancellationToken)
    {
        Query = (q ?? "").Trim();
        if (Query.Length is > 0 and <= 100)
            Result = await search.SearchAsync(Query, PageSize, cancellationToken);
    }
}
