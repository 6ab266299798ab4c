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
    public DateTimeOffset? CompletedAt { get; set; }
    public int RecipientCount { get; set; }
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
}
