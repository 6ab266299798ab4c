using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using PaperBot.Core.Data;
using PaperBot.Core.Sending;
using PaperBot.Core.Subscribers;

namespace PaperBot.Core.Publishing;

public abstract record BroadcastOutcome
{
    public sealed record Queued(Push Push) : BroadcastOutcome;

    public sealed record Cancelled(int PushId) : BroadcastOutcome;

    public sealed record NotADraft(int PushId) : BroadcastOutcome;
}

/// <summary>
/// Announcements to every active subscriber (not to the Telegram channels the issues are posted to).
/// In chat an admin first gets a draft to confirm; the command line and the admin page queue at once.
/// </summary>
public sealed class Broadcaster(PaperBotDbContext db, DeliverySignal signal, TimeProvider clock, ILogger<Broadcaster> logger)
{
    public const int MaxTextLength = 4000;

    public async Task<Push> DraftAsync(string text, string actor, CancellationToken cancellationToken)
    {
        var push = new Push { Kind = PushKind.Broadcast, Text = text, CreatedBy = actor, CreatedAt = clock.GetUtcNow() };
        push.RecipientCount = await db.Subscribers.CountAsync(
            s => s.Status == SubscriberStatus.Active && s.Channel != Channel.Web && s.Kind != ChatKind.Channel, cancellationToken);
        db.Pushes.Add(push);
        await db.SaveChangesAsync(cancellationToken);
        return push;
    }

    public async Task<Push> QueueAsync(string text, string actor, CancellationToken cancellationToken)
    {
        var draft = await DraftAsync(text, actor, cancellationToken);
        var outcome = await ConfirmAsync(draft.Id, actor, cancellationToken);
        return ((BroadcastOutcome.Queued)outcome).Push;
    }

    public async Task<BroadcastOutcome> ConfirmAsync(int pushId, string actor, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // A conditional update, not a read-then-write: of two confirms at once (a double press, two admins), one queues
        // the announcement and the other finds it queued.
        var now = clock.GetUtcNow();
        var claimed = await db.Pushes.Where(p => p.Id == pushId && p.Kind == PushKind.Broadcast && p.QueuedAt == null)
            .ExecuteUpdateAsync(p => p.SetProperty(x => x.QueuedAt, now), cancellationToken);
        if (claimed == 0)
            return new BroadcastOutcome.NotADraft(pushId);

        var push = await db.Pushes.SingleAsync(p => p.Id == pushId, cancellationToken);
        await Outbox.EnqueueAsync(db, push, includeChannelPosts: false, cancellationToken);
        db.Audit(now, actor, "broadcast", $"push {push.Id} to {push.RecipientCount} recipients: {push.Text}");
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        signal.Notify();

        logger.LogInformation("delivery: queued broadcast {PushId} to {Recipients} recipients, by {Actor}", push.Id, push.RecipientCount, actor);
        return new BroadcastOutcome.Queued(push);
    }

    public async Task<BroadcastOutcome> CancelAsync(int pushId, CancellationToken cancellationToken)
    {
        var deleted = await db.Pushes.Where(p => p.Id == pushId && p.Kind == PushKind.Broadcast && p.QueuedAt == null).ExecuteDeleteAsync(cancellationToken);
        return deleted == 0 ? new BroadcastOutcome.NotADraft(pushId) : new BroadcastOutcome.Cancelled(pushId);
    }
}
