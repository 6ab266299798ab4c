using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using PaperBot.Core.Data;
using PaperBot.Core.Issues;
using PaperBot.Core.Sending;

namespace PaperBot.Core.Publishing;

public abstract record ResendOutcome
{
    public sealed record Requeued(int IssueId, int PushId, int Deliveries) : ResendOutcome;

    public sealed record NothingToResend(int IssueId) : ResendOutcome;

    public sealed record IssueMissing(int IssueId) : ResendOutcome;

    public sealed record NotPublished(int IssueId) : ResendOutcome;
}

/// <summary>
/// Sends an issue again to whoever did not get it: its failed deliveries, those skipped because their channel was
/// switched off, and pending ones still waiting out a retry go back to the queue at once. Delivered, blocked and
/// topic-skipped ones are left alone, so nobody who has it gets it twice.
/// </summary>
public sealed class Resender(PaperBotDbContext db, DeliverySignal signal, TimeProvider clock, ILogger<Resender> logger)
{
    public async Task<ResendOutcome> ResendAsync(int issueId, string actor, CancellationToken cancellationToken)
    {
        var issue = await db.Issues.AsNoTracking().Where(i => i.Id == issueId).Select(i => new { i.Status }).FirstOrDefaultAsync(cancellationToken);
        if (issue is null)
            return new ResendOutcome.IssueMissing(issueId);
        var pushId = await db.Pushes.Where(p => p.Kind == PushKind.Issue && p.IssueId == issueId).OrderByDescending(p => p.Id).Select(p => (int?)p.Id).FirstOrDefaultAsync(cancellationToken);
        if (issue.Status != IssueStatus.Published || pushId is not { } push)
            return new ResendOutcome.NotPublished(issueId);

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var channelOff = DeliveryWorker.ChannelOffReason;
        var requeued = await db.Deliveries
            .Where(d => d.PushId == push && (d.Status == DeliveryStatus.Failed || d.Status == DeliveryStatus.Pending
                || (d.Status == DeliveryStatus.Skipped && d.LastError != null && d.LastError.StartsWith(channelOff))))
            .ExecuteUpdateAsync(d => d
                .SetProperty(x => x.Status, DeliveryStatus.Pending)
                .SetProperty(x => x.Attempts, 0)
                // A pending delivery is still on its way: a send of it that may have arrived keeps counting, or a resend
                // between its retries would let it go out a third time. A failed one is the admin's to send again.
                .SetProperty(x => x.AmbiguousSends, x => x.Status == DeliveryStatus.Pending ? x.AmbiguousSends : 0)
                .SetProperty(x => x.NextAttemptAt, (DateTimeOffset?)null), cancellationToken);
        if (requeued == 0)
            return new ResendOutcome.NothingToResend(issueId);

        var now = clock.GetUtcNow();
        await db.Pushes.Where(p => p.Id == push).ExecuteUpdateAsync(p => p.SetProperty(x => x.CompletedAt, (DateTimeOffset?)null), cancellationToken);
        db.Audit(now, actor, "resend", $"issue {issueId}: {requeued} deliveries of push {push} queued again");
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        signal.Notify();
        logger.LogInformation("delivery: queued {Count} deliveries of issue {IssueId} (push {PushId}) again, by {Actor}", requeued, issueId, push, actor);
        return new ResendOutcome.Requeued(issueId, push, requeued);
    }
}
