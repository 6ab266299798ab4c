using PaperBot.Core.Commands;
using PaperBot.Core.Subscribers;

namespace PaperBot.Core.Sending;

/// <summary>Who a push goes to, as the sending engine hands it to a channel; <paramref name="ThreadId"/> is the forum topic within the chat, if any.</summary>
public sealed record Recipient(int SubscriberId, Channel Channel, string ChatId, ChatKind Kind, string Language, int? ThreadId = null);

/// <summary>Whom a "slow down" is about: the one chat (a group's 20 a minute), or the whole channel.</summary>
public enum RetryScope
{
    Chat,
    Channel,
}

/// <summary>
/// What one outbound call did, in the channel's own words translated once: every call — a digest part, a reply, a
/// progress edit, an announcement, a mass send — on every channel ends as one of these, and
/// <see cref="ChatLifecycle"/> and <see cref="DeliveryResults"/> decide what follows. docs/delivery.md states the rules.
/// </summary>
public abstract record SendOutcome
{
    /// <summary>
    /// The platform accepted it. <paramref name="MassSendMsgId"/>: WeChat's msg_id of the mass send that carried it, whose
    /// report (MASSSENDJOBFINISH) may say later that it went to no one.
    /// </summary>
    public sealed record Delivered(long? MassSendMsgId = null) : SendOutcome;

    /// <summary>Sent, but no answer came back (a timeout, a connection lost after the request): it may have arrived.</summary>
    public sealed record Ambiguous(string Reason) : SendOutcome;

    /// <summary>The platform asked us to slow down (Telegram 429 retry_after; WeChat's per-minute quota); nothing was sent.</summary>
    public sealed record RetryAfter(TimeSpan Wait, RetryScope Scope, string Reason) : SendOutcome;

    /// <summary>Not sent and worth trying again: a 5xx, a refused connection.</summary>
    public sealed record Transient(string Reason) : SendOutcome;

    /// <summary>The chat is gone for the bot — blocked, deactivated, kicked, unfollowed: never retried.</summary>
    public sealed record ChatGone(string Reason) : SendOutcome;

    /// <summary>A Telegram group became a supergroup: send again to <paramref name="NewChatId"/>.</summary>
    public sealed record ChatMoved(string NewChatId) : SendOutcome;

    /// <summary>Nothing can go out on this channel now — the token was revoked, the account is banned or not allowed: every send pauses, no one is failed.</summary>
    public sealed record ChannelDown(string Reason) : SendOutcome;

    /// <summary>This message will not go however often we try (a 400 about its content).</summary>
    public sealed record Failed(string Reason) : SendOutcome;

    /// <summary>
    /// The channel cannot push to this chat now (an unverified WeChat account, outside the 48-hour window): offered with
    /// its next message. <paramref name="Shown"/>: of an announcement whose first parts reached the chat before the
    /// channel stopped, the characters of its text those parts carried; the offer goes on after them.
    /// </summary>
    public sealed record Deferred(string Reason, int Shown = 0) : SendOutcome;
}

/// <summary>A push's outcome and how far it got: <paramref name="PartsDelivered"/> of the parts the channel split the messages into are in the chat.</summary>
public sealed record SendResult(SendOutcome Outcome, int PartsDelivered);

/// <summary>
/// The outbound seam: one implementation per channel turns channel-neutral messages into its own format
/// and sends them. The sending engine knows nothing else about the channel.
/// </summary>
public interface IChannelSender
{
    Channel Channel { get; }

    /// <summary>
    /// Sends the parts of <paramref name="messages"/> from part <paramref name="fromPart"/> on, in order; stops at the
    /// first one that does not go through. A resend starts at the first part not delivered.
    /// </summary>
    Task<SendResult> SendAsync(Recipient recipient, IReadOnlyList<ReplyMessage> messages, int fromPart, CancellationToken cancellationToken);
}

/// <summary>
/// A channel that sends the same content to many recipients in one call (WeChat mass send by OpenID list).
/// The engine groups recipients whose messages are identical and hands each group over at once.
/// </summary>
public interface IBatchChannelSender : IChannelSender
{
    /// <summary>The most recipients one call takes; 1 means the channel is sending one by one right now.</summary>
    int MaxBatchSize { get; }

    /// <summary>One outcome per recipient, in order.</summary>
    Task<IReadOnlyList<SendOutcome>> SendBatchAsync(IReadOnlyList<Recipient> recipients, IReadOnlyList<ReplyMessage> messages, CancellationToken cancellationToken);
}
