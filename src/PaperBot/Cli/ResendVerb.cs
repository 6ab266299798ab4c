using System.Globalization;
using PaperBot.Core.Publishing;

namespace PaperBot.Cli;

public static class ResendVerb
{
    public static readonly Verb Definition = new(
        "resend", "resend ISSUE", "queue an issue's failed and unsent deliveries again (after an outage, or once a channel is back on)", RunAsync)
    {
        MaxArguments = 1,
        Validate = context => context.Arguments is [var issue] && int.TryParse(issue, out _) ? null : context.UsageError("give one issue id (see: issues)"),
    };

    private static async Task<int> RunAsync(VerbContext context)
    {
        var issueId = int.Parse(context.Arguments[0], CultureInfo.InvariantCulture);
        return await context.Get<Resender>().ResendAsync(issueId, "cli", context.CancellationToken) switch
        {
            ResendOutcome.Requeued requeued => context.Done($"issue {requeued.IssueId}: {requeued.Deliveries} deliveries queued again (push {requeued.PushId}); the running bot sends them"),
            ResendOutcome.NothingToResend => context.Done($"issue {issueId}: nothing to resend; every subscriber has it or cannot be reached"),
            ResendOutcome.NotPublished => context.Fail($"issue {issueId} is not published yet (see: publish)"),
            _ => context.Fail($"there is no issue {issueId} (see: issues)"),
        };
    }
}
