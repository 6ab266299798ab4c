namespace PaperBot.TestServices;

/// <summary>
/// Telegram's flood limits as documented in its Bots FAQ, applied to the calls that post or edit a message: about 30
/// messages a second across all chats (1,000 with allow_paid_broadcast), about one a second in a chat, at most 20 a
/// minute in a group. "About" and "short bursts allowed" are modelled as token buckets — one of a second's worth across
/// all chats, one of 3 per chat, each refilling at the documented rate — and the group's 20 as a sliding minute.
/// Counted at arrival, as Telegram counts them; a refused call is not executed and not counted.
/// The tests' fake Bot API and the benchmark's fake Bot API (bench/) share this one model.
/// </summary>
/// <param name="perSecond">The overall rate; a benchmark may set another to see how the bot copes.</param>
/// <param name="paidPerSecond">The overall rate of calls with allow_paid_broadcast.</param>
public sealed class FloodLimits(int perSecond = FloodLimits.PerSecond, int paidPerSecond = FloodLimits.PaidPerSecond)
{
    public const int PerSecond = 30;
    public const int PaidPerSecond = 1000;
    public const double ChatBurst = 3;
    public const double ChatPerSecond = 1;
    public const int GroupPerMinute = 20;

    private readonly Lock gate = new();
    private readonly Dictionary<string, (double Tokens, DateTimeOffset At)> all = [];
    private readonly Dictionary<string, (double Tokens, DateTimeOffset At)> chats = [];
    private readonly Dictionary<string, Queue<DateTimeOffset>> groups = [];

    /// <param name="chat">The call's chat_id as sent: a number, or @username for a channel.</param>
    /// <param name="paid">Whether the call carries allow_paid_broadcast=true.</param>
    /// <returns>null when the call may go; otherwise the retry_after seconds Telegram would answer with.</returns>
    public int? Refuse(string method, string chat, bool paid, DateTimeOffset now)
    {
        if (!method.Equals("sendMessage", StringComparison.OrdinalIgnoreCase) && !method.Equals("editMessageText", StringComparison.OrdinalIgnoreCase))
            return null;
        lock (gate)
        {
            var overall = paid ? "paid" : "free";
            var rate = paid ? paidPerSecond : perSecond;
            var allTokens = Refill(all, overall, rate, rate, now);
            if (allTokens < 1)
                return Seconds(TimeSpan.FromSeconds((1 - allTokens) / rate));

            var tokens = Refill(chats, chat, ChatBurst, ChatPerSecond, now);
            if (tokens < 1)
                return Seconds(TimeSpan.FromSeconds((1 - tokens) / ChatPerSecond));

            var isGroup = chat.StartsWith('-') || chat.StartsWith('@');
            Queue<DateTimeOffset>? group = null;
            if (isGroup)
            {
                group = groups.TryGetValue(chat, out var known) ? known : groups[chat] = new Queue<DateTimeOffset>();
                Forget(group, now - TimeSpan.FromMinutes(1));
                if (group.Count >= GroupPerMinute)
                    return Seconds(group.Peek() + TimeSpan.FromMinutes(1) - now);
            }

            group?.Enqueue(now);
            all[overall] = (allTokens - 1, Latest(all, overall, now));
            chats[chat] = (tokens - 1, Latest(chats, chat, now));
            return null;
        }
    }

    /// <summary>Calls are stamped on arrival but judged one after another: one stamped a moment earlier may come second, and refills nothing.</summary>
    private static double Refill(Dictionary<string, (double Tokens, DateTimeOffset At)> buckets, string key, double burst, double perSecond, DateTimeOffset now)
    {
        var (tokens, at) = buckets.TryGetValue(key, out var bucket) ? bucket : (burst, now);
        return Math.Min(burst, tokens + Math.Max(0, (now - at).TotalSeconds) * perSecond);
    }

    private static DateTimeOffset Latest(Dictionary<string, (double Tokens, DateTimeOffset At)> buckets, string key, DateTimeOffset now) =>
        buckets.TryGetValue(key, out var bucket) && bucket.At > now ? bucket.At : now;

    private static void Forget(Queue<DateTimeOffset> arrivals, DateTimeOffset before)
    {
        while (arrivals.Count > 0 && arrivals.Peek() <= before)
            arrivals.Dequeue();
    }

    private static int Seconds(TimeSpan wait) => Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
}
