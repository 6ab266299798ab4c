using PaperBot.Core.Issues;
using PaperBot.Core.Topics;

namespace PaperBot.Cli;

public static class TopicsVerb
{
    public static readonly Verb Definition = new(
        "topics", "topics | topics ISSUE | topics set ISSUE N a,b",
        "the topic catalogue; the papers of an issue with their topics; correct one paper's topics",
        RunAsync);

    private static async Task<int> RunAsync(VerbContext context)
    {
        var args = context.Arguments;
        switch (args.Count)
        {
            case 0:
                foreach (var topic in context.Get<TopicCatalog>().All)
                    await context.Out.WriteLineAsync($"{topic.Slug,-20} {topic.Names.Zh} / {topic.Names.En}");
                return 0;
            case 1 when int.TryParse(args[0], out var issueId):
                if (await context.Get<IssueReader>().FindAsync(issueId, includeUnpublished: true, context.CancellationToken) is not { } issue)
                    return context.Fail($"there is no issue {issueId}");
                foreach (var paper in issue.Papers)
                    await context.Out.WriteLineAsync($"{paper.Number,3}  {string.Join(",", paper.Topics.Select(t => t.Topic)),-40} {paper.Title}");
                return 0;
            case 4 when args[0] == "set":
                if (!int.TryParse(args[1], out var setIssue) || !int.TryParse(args[2], out var number))
                    return context.UsageError("ISSUE and N must be numbers");
                var topics = args[3].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                var outcome = await context.Get<PaperTopicsEditor>().SetAsync(setIssue, number, topics, "cli", context.CancellationToken);
                return outcome switch
                {
                    TopicEditOutcome.Changed changed => context.Done($"issue {setIssue} paper {number}: {string.Join(", ", changed.Topics)}"),
                    TopicEditOutcome.PaperMissing => context.Fail($"issue {setIssue} has no paper {number}"),
                    TopicEditOutcome.UnknownTopics unknown => context.Fail($"unknown topic {string.Join(", ", unknown.Topics.Select(t => $"'{t}'"))}; 'topics' lists them"),
                    _ => context.Fail("unexpected outcome"),
                };
            default:
                return context.UsageError("unexpected arguments");
        }
    }
}
