using PaperBot.Core.Issues;
using PaperBot.Core.Topics;

namespace PaperBot.Pages;

public sealed class IndexModel(IssueReader issues, TopicCatalog catalog) : SitePage(catalog)
{
    public Issue? Latest { get; private set; }
    public IReadOnlyList<IssueSummary> Archive { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Latest = await issues.LatestPublishedAsync(cancellationToken);
        Archive = await issues.ListAsync(includeUnpublished: false, limit: 100, cancellationToken);
    }
}
