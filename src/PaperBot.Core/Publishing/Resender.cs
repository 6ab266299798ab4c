using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using PaperBot.Core.Data;
using PaperBot.Core.Issues;
using PaperBot.Core.Sending;
using PaperBot.Core.Subscribers;

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
public sealed class Resender(PaperBotDbContext db, StorageDialect dialect, DeliverySignal signal, TimeProvider clock, ILogger<Resender> logger)
{
    /// <summary>Only the failed deliveries of one channel whose reason begins with <paramref name="Reason"/>.</summary>
    private sealed record Failure(Channel Channel, string Reason);

    public Task<ResendOutcome> ResendAsync(int issueId, string actor, CancellationToken cancellationToken) =>
        ResendAsync(issueId, actor, only: null, cancellationToken);

    /// <summary>
    /// Queues again only the issue's <paramref name="channel"/> deliveries that failed for a cause since dealt with:
    /// those whose reason begins with <paramref name="reason"/> (WeChat refused to publish the article, and an admin
    /// has published it since). Every other delivery is left as it is.
    /// </summary>
    public Task<ResendOutcome> ResendFailedAsync(int issueId, Channel channel, string reason, string actor, CancellationToken cancellationToken) =>
        ResendAsync(issueId, actor, new Failure(channel, reason), cancellationToken);

    private async Task<ResendOutcome> ResendAsync(int issueId, string actor, Failure? only, CancellationToken cancellationToken)
    {
        var issue = await db.Issues.AsNoTracking().Where(i => i.Id == issueId).Select(i => new { i.Status }).FirstOrDefaultAsync(cancellationToken);
        if (issue is null)
            return new ResendOutcome.IssueMissing(issueId);
        var pushId = await db.Pushes.Where(p => p.Kind == PushKind.Issue && p.IssueId == issueId).OrderByDescending(p => p.Id).Select(p => (int?)p.Id).FirstOrDefaultAsync(cancellationToken);
        if (issue.Status != IssueStatus.Published || pushId is not { } push)
            return new ResendOutcome.NotPublished(issueId);

        // The result writer changes the same rows: both take the push's tallies first (DeliveryResults.LockTalliesAsync),
        // so one waits for the other before it holds any delivery. Should PostgreSQL still abort the resend over a
        // conflict (40P01, a deadlock with something else that locks the push's deliveries), it is run again here, whole.
        AuditEntry? audit = null;
        var requeued = await dialect.RetryingOnConflict(db).ExecuteAsync(async ct =>
        {
            if (audit is not null)
                db.Entry(audit).State = EntityState.Detached;
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            await DeliveryResults.LockTalliesAsync(db, dialect, [push], null, ct);
            var channelOff = DeliveryWorker.ChannelOffReason;
            var rows = only is null
                ? db.Deliveries.Where(d => d.PushId == push && (d.Status == DeliveryStatus.Failed || d.Status == DeliveryStatus.Pending
                    || (d.Status == DeliveryStatus.Skipped && d.LastError != null && d.LastError.StartsWith(channelOff))))
                : db.Deliveries.Where(d => d.PushId == push && d.Channel == only.Channel && d.Status == DeliveryStatus.Failed
                    && d.LastError != null && d.LastError.StartsWith(only.Reason));
            var count = await rows
                .ExecuteUpdateAsync(d => d
                    .SetProperty(x => x.Status, DeliveryStatus.Pending)
                    .SetProperty(x => x.Attempts, 0)
                    // A pending delivery is still on its way: a send of it that may have arrived keeps counting, or a resend
                    // between its retries would let it go out a third time. A failed one is the admin's to send again.
                    .SetProperty(x => x.AmbiguousSends, x => x.Status == DeliveryStatus.Pending ? x.AmbiguousSends : 0)
                    .SetProperty(x => x.NextAttemptAt, (DateTimeOffset?)null), ct);
            if (count == 0)
                return 0;

            await db.Pushes.Where(p => p.Id == push).ExecuteUpdateAsync(p => p.SetProperty(x => x.CompletedAt, (DateTimeOffset?)null), ct);
            audit = db.Audit(clock.GetUtcNow(), actor, "resend", $"issue {issueId}: {count} deliveries of push {push} queued again"
                + (only is null ? "" : $", those of {only.Channel} that failed with: {only.Reason.TrimEnd(' ', ':')}"));
            // The changes stay in the unit of work until the commit holds, so an attempt run again writes them again.
            await db.SaveChangesAsync(acceptAllChangesOnSuccess: false, ct);
            await transaction.CommitAsync(ct);
            return count;
        }, cancellationToken);
        if (requeued == 0)
            return new ResendOutcome.NothingToResend(issueId);

        db.ChangeTracker.AcceptAllChanges();
        signal.Notify();
        logger.LogInformation("delivery: queued {Count} deliveries of issue {IssueId} (push {PushId}) again, by {Actor}", requeued, issueId, push, actor);
        return new ResendOutcome.Requeued(issueId, push, requeued);
    }
}
