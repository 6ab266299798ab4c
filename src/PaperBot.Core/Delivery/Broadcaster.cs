using Microsoft.Extensions.Logging;
using PaperBot.Core.Data;

namespace PaperBot.Core.Delivery;

/// <summary>Queues an announcement to every active subscriber (not to the Telegram channels the issues are posted to).</summary>
public sealed class Broadcaster(PaperBotDbContext db, TimeProvider clock, ILogger<Broadcaster> logger)
{
    public const int MaxTextLength = 4000;

    public async Task<Push> QueueAsync(string text, string actor, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var push = new Push { Kind = PushKind.Broadcast, Text = text, CreatedBy = actor, CreatedAt = now };
        db.Pushes.Add(push);
        await db.SaveChangesAsync(cancellationToken);

        push.RecipientCount = await Outbox.EnqueueAsync(db, push.Id, includeChannelPosts: false, cancellationToken);
        db.Audit(now, actor, "broadcast", $"push {push.Id} to {push.RecipientCount} recipients: {text}");
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        logger.LogInformation("delivery: queued broadcast {PushId} to {Recipients} recipients, by {Actor}", push.Id, push.RecipientCount, actor);
        return push;
    }
}
