using PaperBot.Core.Issues;
using PaperBot.Core.Sending;
using PaperBot.Core.Subscribers;

namespace PaperBot.Core.Publishing;

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
}
