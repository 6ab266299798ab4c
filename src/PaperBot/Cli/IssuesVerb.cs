using PaperBot.Core.Issues;

namespace PaperBot.Cli;

public static class IssuesVerb
{
    public static readonly Verb Definition = new("issues", "issues", "list every issue: id, status, date, papers, title", RunAsync);

    private static async Task<int> RunAsync(VerbContext context)
    {
        var issues = await context.Get<IssueReader>().ListAsync(includeUnpublished: true, limit: int.MaxValue, context.CancellationToken);
        if (issues.Count == 0)
            return context.Done("no issues; import one with: import FILE");
        await context.Out.WriteLineAsync($"{"ID",4}  {"STATUS",-10} {"DATE",-16} {"PAPERS",6}  TITLE");
        foreach (var issue in issues)
        {
            var date = issue.Status switch
            {
                IssueStatus.Published => issue.PublishedAt,
                IssueStatus.Scheduled => issue.ScheduledFor,
                _ => issue.ImportedAt,
            };
            var when = issue.Status == IssueStatus.Scheduled && date is null ? "next weekly push" : $"{date:yyyy-MM-dd HH:mm}";
            await context.Out.WriteLineAsync($"{issue.Id,4}  {issue.Status.ToString().ToLowerInvariant(),-10} {when,-16} {issue.PaperCount,6}  {issue.Title}");
        }

        return 0;
    }
}
