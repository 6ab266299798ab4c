using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using PaperBot.Core.Sending;

namespace PaperBot.Channels.Telegram;

/// <summary>
/// Keeps Telegram's limits before Telegram has to say so, for every call that posts or edits a message — digest parts,
/// replies and progress edits alike: about 30 messages a second in all (1,000 with paid broadcasts), about one a second
/// to a chat with short bursts allowed, twenty a minute to a group. Each is kept with a margin, because Telegram counts
/// when calls arrive and the network moves arrivals closer together than the sends. A chat's bucket refills from the
/// moment its last call was answered, the latest that call can have arrived, not from the moment it was let go: a call
/// held up on its way (a slow connection, a busy process) cannot bunch with the next ones at Telegram. A chat that
/// still got a 429 waits alone (<see cref="PauseChat"/>).
/// </summary>
public sealed class TelegramPacing(IOptions<TelegramOptions> telegram, IOptions<DeliveryOptions> delivery, TimeProvider clock)
{
    /// <summary>Telegram's free limit across all chats, and the share of it we use.</summary>
    public const double BotApiMessagesPerSecond = 30;

    private const double Margin = 0.95;

    // Only chats sent to recently are remembered, so memory follows the send rate, not the audience.
    private const int ForgetEvery = 4096;

    private static readonly Bucket.Shape PrivateChat = new(Burst: 3, PerSecond: 1 / 1.1);
    private static readonly Bucket.Shape GroupChat = new(Burst: 1, PerSecond: 1 / 3.1);

    private readonly ConcurrentDictionary<string, Bucket> chats = new();
    private readonly Bucket? all = AllChats(telegram.Value, delivery.Value) is { } shape ? new Bucket(shape, clock.GetUtcNow()) : null;
    private int sinceForget;

    /// <summary>
    /// Makes a call that posts or edits a message in <paramref name="chatId"/> once it may go: first the chat's turn, then a
    /// place in the bot's overall rate. Answered or not, the call then counts for the chat as arriving at that moment.
    /// </summary>
    public async Task<T> CallAsync<T>(string chatId, bool isGroup, Func<Task<T>> call, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var chat = chats.GetOrAdd(chatId, _ => new Bucket(isGroup ? GroupChat : PrivateChat, now));
        await DelayUntilAsync(chat.Reserve(now), cancellationToken);
        if (all is not null)
            await DelayUntilAsync(all.Reserve(clock.GetUtcNow()), cancellationToken);
        if (Interlocked.Increment(ref sinceForget) % ForgetEvery == 0)
            Forget(clock.GetUtcNow());
        try
        {
            return await call();
        }
        finally
        {
            chat.ArrivedBy(clock.GetUtcNow());
        }
    }

    /// <summary>Telegram answered 429 for this chat: its next message waits out <paramref name="retryAfter"/>; other chats go on.</summary>
    public void PauseChat(string chatId, bool isGroup, TimeSpan retryAfter)
    {
        var now = clock.GetUtcNow();
        chats.GetOrAdd(chatId, _ => new Bucket(isGroup ? GroupChat : PrivateChat, now)).PauseUntil(now + retryAfter);
    }

    /// <summary>Negative ids are groups, supergroups and channels; public channels go by @name.</summary>
    public static bool IsGroup(string chatId) => chatId.StartsWith('-') || chatId.StartsWith('@');

    private static Bucket.Shape? AllChats(TelegramOptions telegram, DeliveryOptions delivery) =>
        delivery.MessagesPerSecond <= 0 ? null // the operator's own Bot API server, without Telegram's limits
        : new Bucket.Shape(Burst: 1, PerSecond: Margin * (telegram.AllowPaidBroadcast ? TelegramOptions.PaidBroadcastMessagesPerSecond : BotApiMessagesPerSecond));

    private async Task DelayUntilAsync(DateTimeOffset at, CancellationToken cancellationToken)
    {
        var wait = at - clock.GetUtcNow();
        if (wait > TimeSpan.Zero)
            await Task.Delay(wait, clock, cancellationToken);
    }

    private void Forget(DateTimeOffset now)
    {
        foreach (var (chat, bucket) in chats)
        {
            if (bucket.IsFullAt(now))
                chats.TryRemove(chat, out _);
        }
    }

    /// <summary>
    /// A token bucket that refills continuously and hands out the moment each call may start. System.Threading.RateLimiting's
    /// token bucket refills on a timer, so two calls can go out a moment apart across a refill; Telegram counts spacing.
    /// </summary>
    private sealed class Bucket(Bucket.Shape shape, DateTimeOffset now)
    {
        public sealed record Shape(double Burst, double PerSecond);

        private readonly Lock gate = new();
        private double tokens = shape.Burst;
        private DateTimeOffset at = now;

        public DateTimeOffset Reserve(DateTimeOffset now)
        {
            lock (gate)
            {
                var from = now > at ? now : at;
                var available = Math.Min(shape.Burst, tokens + (from - at).TotalSeconds * shape.PerSecond);
                var go = available >= 1 ? from : from + TimeSpan.FromSeconds((1 - available) / shape.PerSecond);
                tokens = Math.Min(shape.Burst, available + (go - from).TotalSeconds * shape.PerSecond) - 1;
                at = go;
                return go;
            }
        }

        /// <summary>The call reserved last arrived by <paramref name="answered"/>: nothing refills before then.</summary>
        public void ArrivedBy(DateTimeOffset answered)
        {
            lock (gate)
            {
                if (answered > at)
                    at = answered;
            }
        }

        public void PauseUntil(DateTimeOffset until)
        {
            lock (gate)
            {
                if (until <= at)
                    return;
                tokens = 0;
                at = until - TimeSpan.FromSeconds(1 / shape.PerSecond);
            }
        }

        public bool IsFullAt(DateTimeOffset now)
        {
            lock (gate)
                return now >= at && tokens + (now - at).TotalSeconds * shape.PerSecond >= shape.Burst;
        }
    }
}
