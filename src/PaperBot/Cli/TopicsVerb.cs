using System.Globalization;
using PaperBot.Core.Issues;
using PaperBot.Core.Topics;

namespace PaperBot.Cli;

public static class TopicsVerb
{
    public static readonly Verb Definition = new(
        "topics", "topics | topics ISSUE | topics set ISSUE N a,b | topics retag ISSUE",
        "the topic catalogue; the papers of an issue with their topics; correct one paper's topics; tag an issue again (corrections kept)",
        RunAsync)
    {
        MaxArguments = 4,
        Validate = Check,
    };

    private static int? Check(VerbContext context) => context.Arguments switch
    {
        [] => null,
        [var issue] when int.TryParse(issue, out _) => null,
        ["set", var issue, var number, _] when int.TryParse(issue, out _) && int.TryParse(number, out _) => null,
        ["set", _, _, _] => context.UsageError("ISSUE and N must be numbers"),
        ["retag", var issue] when int.TryParse(issue, out _) => null,
        ["retag", _] => context.UsageError("ISSUE must be a number"),
        _ => context.UsageError("unexpected arguments"),
    };

    private static async Task<int> RunAsync(VerbContext context)
    {
        var args = context.Arguments;
        switch (args.Count)
        {
            case 0:
                foreach (var topic in context.Get<TopicCatalog>().All)
                    await context.Out.WriteLineAsync($"{topic.Slug,-20} {topic.Names.Zh} / {topic.Names.En}" + (topic.Description is { } d ? $"  {d.En}" : ""));
                return 0;
            case 2 when args[0] == "retag":
                if (!int.TryParse(args[1], out var retagIssue))
                    return context.UsageError("ISSUE must be a number");
                return await context.Get<PaperTopicsEditor>().RetagAsync(retagIssue, "cli", context.CancellationToken) is { } retagged
                    ? context.Done($"issue {retagIssue}: {retagged} papers tagged differently; corrected papers kept")
                    : context.Fail($"there is no issue {retagIssue}");
            case 1 when int.TryParse(args[0], out var issueId):
                if (await context.Get<IssueReader>().FindAsync(issueId, includeUnpublished: true, context.CancellationToken) is not { } issue)
                    return context.Fail($"there is no issue {issueId}");
                foreach (var paper in issue.Papers)
                    await context.Out.WriteLineAsync($"{paper.Number,3}  {(paper.Topics.Count == 0 ? "(no topic)" : string.Join(",", paper.Topics.Select(t => t.Topic))) + (paper.TopicsCorrectedAt is null ? "" : " *"),-40} {paper.Title}");
                return 0;
            case 4:
                var setIssue = int.Parse(args[1], CultureInfo.InvariantCulture);
                var number = int.Parse(args[2], CultureInfo.InvariantCulture);
                var topics = args[3].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                var outcome = await context.Get<PaperTopicsEditor>().SetAsync(setIssue, number, topics, "cli", context.CancellationToken);
                return outcome switch
                {
                    TopicEditOutcome.Changed changed => context.Done($"issue {setIssue} paper {number}: {string.Join(", ", changed.Topics)}"),
                    TopicEditOutcome.Unchanged unchanged => context.Done($"issue {setIssue} paper {number}: unchanged ({(unchanged.Topics.Count == 0 ? "none" : string.Join(", ", unchanged.Topics))})"),
                    TopicEditOutcome.PaperMissing or TopicEditOutcome.IssueMissing => context.Fail($"issue {setIssue} has no paper {number}"),
                    TopicEditOutcome.UnknownTopics unknown => context.Fail($"unknown topic {string.Join(", ", unknown.Topics.Select(t => $"'{t}'"))}; 'topics' lists them"),
                    _ => context.Fail("unexpected outcome"),
                };
            default:
                throw new InvalidOperationException("arguments were checked");
        }
    }
}
