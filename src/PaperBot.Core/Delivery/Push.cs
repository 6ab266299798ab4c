using PaperBot.Core.Digests;
using PaperBot.Core.Subscribers;

namespace PaperBot.Core.Delivery;

public enum PushKind
{
    Issue,
    Broadcast,
}

/// <summary>One send to the audience: a published issue or an announcement, with one <see cref="Delivery"/> per recipient.</summary>
public sealed class Push
{
    public int Id { get; set; }
    public PushKind Kind { get; set; }
    public int? IssueId { get; set; }
    public Issue? Issue { get; set; }
    public string? Text { get; set; }
    public required string CreatedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>When its deliveries were queued; null for an announcement still waiting for the admin's confirmation.</summary>
    public DateTimeOffset? QueuedAt { get; set; }

    public DateTimeOffset? CompletedAt { get; set; }
    public int RecipientCount { get; set; }

    /// <summary>The admin's chat message that shows this push's progress, edited as sending goes on.</summary>
    public Channel? ProgressChannel { get; set; }

    public string? ProgressChatId { get; set; }
    public string? ProgressMessageId { get; set; }
    public List<Delivery> Deliveries { get; set; } = [];
}

public enum DeliveryStatus
{
    Pending,
    Sent,
    /// <summary>Nothing to send: no paper of the issue matches the subscriber's topics.</summary>
    Skipped,
    Blocked,
    Failed,

    /// <summary>The channel cannot push to this subscriber now (an unverified WeChat account); offered with their next message.</summary>
    Waiting,
}

public sealed class Delivery
{
    public long Id { get; set; }
    public int PushId { get; set; }
    public Push? Push { get; set; }
    public int SubscriberId { get; set; }
    public Subscriber? Subscriber { get; set; }
    public DeliveryStatus Status { get; set; }
    public int Attempts { get; set; }
    public string? LastError { get; set; }
    public DateTimeOffset? NextAttemptAt { get; set; }
    public DateTimeOffset? SentAt { get; set; }

    /// <summary>The sending instance that claimed this delivery, until <see cref="ClaimedUntil"/>; a crashed claimer's lease runs out.</summary>
    public string? ClaimedBy { get; set; }

    public DateTimeOffset? ClaimedUntil { get; set; }
}

/// <summary>
/// A channel's shared send clock: each claim of deliveries reserves send slots from <see cref="NextSlotAt"/>, so the
/// configured rate holds however many instances send; a 429 pauses the whole channel until <see cref="PausedUntil"/>.
/// </summary>
public sealed class ChannelThrottle
{
    public Channel Channel { get; set; }
    public DateTimeOffset NextSlotAt { get; set; }
    public DateTimeOffset? PausedUntil { get; set; }
}
