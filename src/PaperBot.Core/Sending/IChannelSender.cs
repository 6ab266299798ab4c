using PaperBot.Core.Commands;
using PaperBot.Core.Subscribers;

namespace PaperBot.Core.Sending;

/// <summary>Who a push goes to, as the sending engine hands it to a channel.</summary>
public sealed record Recipient(int SubscriberId, Channel Channel, string ChatId, ChatKind Kind, string Language);

/// <summary>What a channel made of one send; the engine decides what to do next from it.</summary>
public abstract record SendOutcome
{
    public sealed record Sent : SendOutcome;

    /// <summary>The chat blocked the bot, left, or no longer exists (Telegram 403; WeChat 43004): never retried.</summary>
    public sealed record Blocked(string Reason) : SendOutcome;

    /// <summary>The platform asked us to slow down (Telegram 429 retry_after; WeChat 45009): the whole channel waits.</summary>
    public sealed record RateLimited(TimeSpan RetryAfter, string Reason) : SendOutcome;

    /// <summary>Worth retrying later: 5xx, timeouts, network errors.</summary>
    public sealed record Transient(string Reason) : SendOutcome;

    /// <summary>Will not work however often we try (a 400 for this message, an account not allowed to push).</summary>
    public sealed record Failed(string Reason) : SendOutcome;

    /// <summary>A Telegram group became a supergroup: send again to <paramref name="NewChatId"/>.</summary>
    public sealed record Moved(string NewChatId) : SendOutcome;

    /// <summary>The channel cannot push now (an unverified WeChat account, outside the 48 h window): offer it on the next message.</summary>
    public sealed record Deferred(string Reason) : SendOutcome;
}

/// <summary>
/// The outbound seam: one implementation per channel turns channel-neutral messages into its own format
/// and sends them. The sending engine knows nothing else about the channel.
/// </summary>
public interface IChannelSender
{
    Channel Channel { get; }

    /// <summary>Sends <paramref name="messages"/> in order; stops at the first one that does not go through.</summary>
    Task<SendOutcome> SendAsync(Recipient recipient, IReadOnlyList<ReplyMessage> messages, CancellationToken cancellationToken);
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
