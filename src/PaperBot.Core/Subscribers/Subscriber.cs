namespace PaperBot.Core.Subscribers;

public enum Channel
{
    Telegram,
    WeChat,
    Web,
}

public enum ChatKind
{
    Private,
    Group,
    Channel,
}

public enum SubscriberStatus
{
    /// <summary>Has talked to the bot but never subscribed.</summary>
    Visitor,
    Active,
    Unsubscribed,
    /// <summary>The chat blocked or removed the bot; nothing is sent until it comes back.</summary>
    Blocked,
}

/// <summary>One chat that talks to the bot: a private chat, a group, or a Telegram channel we post to.</summary>
public sealed class Subscriber
{
    public int Id { get; set; }
    public Channel Channel { get; set; }
    public required string ChatId { get; set; }
    public required string UserId { get; set; }
    public ChatKind Kind { get; set; }
    public string? DisplayName { get; set; }
    public string Language { get; set; } = Languages.Chinese;

    /// <summary>True once the user picked a language with /lang; the client's language no longer overrides it.</summary>
    public bool LanguageChosen { get; set; }

    public SubscriberStatus Status { get; set; }

    /// <summary>What the chat was before it blocked or removed the bot; it is that again when the bot is back.</summary>
    public SubscriberStatus? StatusBeforeGone { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset LastSeenAt { get; set; }
    public DateTimeOffset? SubscribedAt { get; set; }

    /// <summary>
    /// The forum topic of a Telegram forum group that pushes go to (its message_thread_id), taken from where /subscribe
    /// was sent; null sends them to the chat itself (a forum's General). Private chats and other groups never have one.
    /// </summary>
    public int? ThreadId { get; set; }
    public List<SubscriberTopic> Topics { get; set; } = [];
}

public sealed class SubscriberTopic
{
    public int SubscriberId { get; set; }
    public required string Topic { get; set; }
}
