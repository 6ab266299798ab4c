using PaperBot.Core.Subscribers;

namespace PaperBot.Core.Sending;

public enum DeliveryStatus
{
    Pending,
    Sent,
    /// <summary>Nothing to send: no paper of the issue matches the subscriber's topics, or the channel is switched off (the reason says which).</summary>
    Skipped,
    /// <summary>The chat is gone for the bot (blocked, deactivated, kicked, unfollowed).</summary>
    Blocked,
    Failed,

    /// <summary>The channel cannot push to this subscriber now (an unverified WeChat account); offered with their next message.</summary>
    Waiting,
}

/// <summary>
/// One recipient of one push: the outbox row a channel's loop claims and sends. <see cref="PushId"/> and
/// <see cref="SubscriberId"/> carry no foreign keys: the rows are made by one INSERT … SELECT from the pushes and
/// subscribers it names, neither of which is deleted while it has deliveries, and a check per row was most of the time
/// it takes PostgreSQL to queue an issue for a million subscribers (docs/benchmarks.md, Delivery).
/// </summary>
public sealed class Delivery
{
    public long Id { get; set; }
    public int PushId { get; set; }
    public int SubscriberId { get; set; }

    /// <summary>The subscriber's channel, copied when queued: each channel's loop claims only its own.</summary>
    public Channel Channel { get; set; }

    public DeliveryStatus Status { get; set; }
    public int Attempts { get; set; }

    /// <summary>
    /// Parts of a split message already in the chat: a resend starts at the next one. Of a waiting announcement offered
    /// piece by piece in replies (WeChat's next message), the characters of its text already shown.
    /// </summary>
    public int PartsSent { get; set; }

    /// <summary>Sends that went out without an answer (they may have arrived); retried at most <see cref="DeliveryOptions.MaxAmbiguousRetries"/> times.</summary>
    public int AmbiguousSends { get; set; }
    public string? LastError { get; set; }
    public DateTimeOffset? NextAttemptAt { get; set; }
    public DateTimeOffset? SentAt { get; set; }

    /// <summary>
    /// WeChat's msg_id of the last mass send that carried it (MassSend push mode), until it is sent otherwise: that send's
    /// MASSSENDJOBFINISH report may say later that it went to no one.
    /// </summary>
    public long? MassSendMsgId { get; set; }

    /// <summary>The sending instance that claimed this delivery, until <see cref="ClaimedUntil"/>; a crashed claimer's lease runs out.</summary>
    public string? ClaimedBy { get; set; }

    public DateTimeOffset? ClaimedUntil { get; set; }
}

/// <summary>
/// A channel's shared send clock and health, one row per channel that every instance reads: each claim of deliveries
/// reserves send slots from <see cref="NextSlotAt"/>, so the configured rate holds however many instances send; a
/// channel-wide 429 pauses it until <see cref="PausedUntil"/>; while the channel is down (a revoked token, an outage)
/// pushes wait, and one probe goes out at <see cref="ProbeAt"/> until a send gets through.
/// </summary>
public sealed class ChannelThrottle
{
    public Channel Channel { get; set; }
    public DateTimeOffset NextSlotAt { get; set; }
    public DateTimeOffset? PausedUntil { get; set; }
    public DateTimeOffset? DownSince { get; set; }
    public string? DownReason { get; set; }
    public DateTimeOffset? ProbeAt { get; set; }
}

/// <summary>
/// A push's deliveries counted by status, per channel: progress and the ledger read these few rows instead of counting
/// deliveries, and they outlive the delivery rows that retention prunes. Kept by the database itself (see the
/// migration's triggers) whenever a delivery changes status, whoever changes it.
/// </summary>
public sealed class PushTally
{
    public int PushId { get; set; }
    public Channel Channel { get; set; }
    public int Pending { get; set; }
    public int Sent { get; set; }
    public int Skipped { get; set; }
    public int Blocked { get; set; }
    public int Failed { get; set; }
    public int Waiting { get; set; }
}
