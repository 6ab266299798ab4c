using System.Collections.Concurrent;
using PaperBot.Core.Sending;
using PaperBot.Core.Subscribers;

namespace PaperBot.Channels.Telegram;

/// <summary>
/// Telegram's per-chat limits: about one message a second to a chat, twenty a minute to a group.
/// Each chat gets its next free moment; a send to a chat that just got one waits for it.
/// </summary>
public sealed class ChatPacing(TimeProvider clock)
{
    private static readonly TimeSpan PrivateGap = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan GroupGap = TimeSpan.FromSeconds(3);

    // Only chats sent to in the last few seconds are remembered, so memory follows the send rate, not the audience.
    private const int ForgetEvery = 4096;

    private readonly ConcurrentDictionary<string, DateTimeOffset> nextFree = new();
    private int sinceForget;

    public async Task WaitTurnAsync(Recipient recipient, CancellationToken cancellationToken)
    {
        var gap = recipient.Kind == ChatKind.Private ? PrivateGap : GroupGap;
        var key = $"{recipient.Channel}:{recipient.ChatId}";
        var now = clock.GetUtcNow();
        var turn = nextFree.AddOrUpdate(key, now + gap, (_, free) => (free > now ? free : now) + gap) - gap;
        if (turn > now)
            await Task.Delay(turn - now, clock, cancellationToken);
        if (Interlocked.Increment(ref sinceForget) % ForgetEvery == 0)
            Forget(now);
    }

    private void Forget(DateTimeOffset now)
    {
        foreach (var (key, free) in nextFree)
        {
            if (free < now)
                nextFree.TryRemove(key, out _);
        }
    }
}
