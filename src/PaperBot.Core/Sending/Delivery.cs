using PaperBot.Core.Publishing;
using PaperBot.Core.Subscribers;

namespace PaperBot.Core.Sending;

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
