using Microsoft.Extensions.Options;
using PaperBot.Core.Commands;
using PaperBot.Core.Issues;
using PaperBot.Core.Topics;
using PaperBot.Scheduling;

namespace PaperBot.Pages;

public sealed class SearchModel(PaperSearch search, TopicCatalog catalog, IOptions<ScheduleOptions> schedule) : SitePage(catalog, schedule)
{
    public const int PageSize = 50;

    public string Query { get; private set; } = "";
    public SearchResult? Result { get; private set; }
    public bool TooLong => Query.Length > CommandParser.MaxSearchLength;

    public async Task OnGetAsync(string? q, CancellationToken cancellationToken)
    {
        Query = (q ?? "").Trim();
        if (Query.Length > 0 && !TooLong)
            Result = await search.SearchAsync(Query, PageSize, cancellationToken);
    }
}
