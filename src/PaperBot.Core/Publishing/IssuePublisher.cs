using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using PaperBot.Core.Data;
using PaperBot.Core.Issues;
using PaperBot.Core.Sending;
using PaperBot.Core.Stats;

namespace PaperBot.Core.Publishing;

public abstract record PublishOutcome
{
    public sealed record Published(int IssueId, int PushId, int Recipients) : PublishOutcome;

    public sealed record IssueMissing(int IssueId) : PublishOutcome;

    public sealed record AlreadyPublished(int IssueId, DateTimeOffset At) : PublishOutcome;

    public sealed record NothingToPublish : PublishOutcome;
}

/// <summary>Publishes an issue: marks it published and queues one delivery per active subscriber.</summary>
public sealed class IssuePublisher(PaperBotDbContext db, PushEstimate estimates, DeliverySignal signal, TimeProvider clock, ILogger<IssuePublisher> logger)
{
    /// <param name="issueId">The issue; null = the next in line: the oldest scheduled issue, else the newest draft.</param>
    public async Task<PublishOutcome> PublishAsync(int? issueId, string actor, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var issue = issueId is { } id
            ? await db.Issues.AsNoTracking().FirstOrDefaultAsync(i => i.Id == id, cancellationToken)
            : await NextInLineAsync(cancellationToken);
        if (issue is null)
            return issueId is { } missing ? new PublishOutcome.IssueMissing(missing) : new PublishOutcome.NothingToPublish();
        if (issue.Status == IssueStatus.Published)
            return new PublishOutcome.AlreadyPublished(issue.Id, issue.PublishedAt ?? issue.ImportedAt);

        // A conditional update, not a read-then-write: when two instances publish the same issue at once, the
        // database lets one change the row and the other finds it already published.
        var now = clock.GetUtcNow();
        var claimed = await db.Issues
            .Where(i => i.Id == issue.Id && i.Status != IssueStatus.Published)
            .ExecuteUpdateAsync(i => i
                .SetProperty(x => x.Status, IssueStatus.Published)
                .SetProperty(x => x.PublishedAt, now)
                .SetProperty(x => x.ScheduledFor, (DateTimeOffset?)null), cancellationToken);
        if (claimed == 0)
            return new PublishOutcome.AlreadyPublished(issue.Id, now);

        var push = new Push { Kind = PushKind.Issue, IssueId = issue.Id, CreatedBy = actor, CreatedAt = now, QueuedAt = now };
        db.Pushes.Add(push);
        await db.SaveChangesAsync(cancellationToken);

        await Outbox.EnqueueAsync(db, push, includeChannelPosts: true, cancellationToken);
        db.Audit(now, actor, "publish", $"issue {issue.Id} to {push.RecipientCount} recipients");
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        signal.Notify();

        var estimate = await estimates.ForPushAsync(push.Id, cancellationToken);
        logger.LogInformation("delivery: published issue {IssueId} as push {PushId} to {Recipients} recipients, by {Actor}; estimated {Duration} at {Rate} msg/s",
            issue.Id, push.Id, push.RecipientCount, actor, estimate.Duration is { } duration ? Durations.Format(duration) : "no limit", estimate.MessagesPerSecond);
        return new PublishOutcome.Published(issue.Id, push.Id, push.RecipientCount);
    }

    /// <summary>What <c>/publish</c> without an issue publishes: the oldest scheduled issue, else the newest draft.</summary>
    public async Task<Issue?> NextInLineAsync(CancellationToken cancellationToken) =>
        await db.Issues.AsNoTracking().Where(i => i.Status == IssueStatus.Scheduled).OrderBy(i => i.Id).FirstOrDefaultAsync(cancellationToken)
        ?? await db.Issues.AsNoTracking().Where(i => i.Status == IssueStatus.Draft).OrderByDescending(i => i.Id).FirstOrDefaultAsync(cancellationToken);
}
