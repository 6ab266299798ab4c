using System.Collections.Concurrent;
using PaperBot.Core.Commands;
using PaperBot.Core.Sending;
using PaperBot.Core.Subscribers;

namespace PaperBot.Core.Tests.Sending;

/// <summary>A channel that records what it was asked to send; a script per chat decides each send's outcome.</summary>
internal class RecordingSender(Channel channel = Channel.Telegram) : IChannelSender
{
    private readonly ConcurrentDictionary<string, ConcurrentQueue<SendOutcome>> scripts = new();
    private readonly ConcurrentDictionary<string, ConcurrentQueue<SendResult>> resultScripts = new();

    public Channel Channel => channel;

    public ConcurrentQueue<(Recipient Recipient, IReadOnlyList<ReplyMessage> Messages)> Sent { get; } = new();

    public ConcurrentQueue<string> Attempts { get; } = new();

    /// <summary>Each send asked of the channel: the chat and the part it was to start at.</summary>
    public ConcurrentQueue<(string ChatId, int FromPart)> Calls { get; } = new();

    /// <summary>While this says so, every send answers like a Bot API behind a failing proxy (502, nothing sent).</summary>
    public Func<bool>? Down { get; set; }

    /// <summary>Sends wait here until it is set, when a test needs them in flight.</summary>
    public TaskCompletionSource? Gate { get; set; }

    /// <summary>The next sends to <paramref name="chatId"/> end as these results, in order (a part count says how far they got).</summary>
    public void ScriptResults(string chatId, params SendResult[] results)
    {
        var queue = resultScripts.GetOrAdd(chatId, _ => new ConcurrentQueue<SendResult>());
        foreach (var result in results)
            queue.Enqueue(result);
    }

    /// <summary>The next sends to <paramref name="chatId"/> come out as <paramref name="outcomes"/>, in order; then Delivered.</summary>
    public void Script(string chatId, params SendOutcome[] outcomes)
    {
        var queue = scripts.GetOrAdd(chatId, _ => new ConcurrentQueue<SendOutcome>());
        foreach (var outcome in outcomes)
            queue.Enqueue(outcome);
    }

    public IReadOnlyList<string> SentTo => Sent.Select(s => s.Recipient.ChatId).ToList();

    public string TextSentTo(string chatId) => string.Join("\n", Sent.Where(s => s.Recipient.ChatId == chatId).SelectMany(s => s.Messages).Select(m => m.ToPlainText()));

    public virtual async Task<SendResult> SendAsync(Recipient recipient, IReadOnlyList<ReplyMessage> messages, int fromPart, CancellationToken cancellationToken)
    {
        Attempts.Enqueue(recipient.ChatId);
        Calls.Enqueue((recipient.ChatId, fromPart));
        if (Gate is { } gate)
            await gate.Task;
        if (Down?.Invoke() == true)
            return new SendResult(new SendOutcome.Transient("HTTP 502 from the Bot API"), fromPart);
        if (resultScripts.TryGetValue(recipient.ChatId, out var results) && results.TryDequeue(out var result))
            return result;
        var outcome = scripts.TryGetValue(recipient.ChatId, out var queue) && queue.TryDequeue(out var scripted) ? scripted : new SendOutcome.Delivered();
        if (outcome is SendOutcome.Delivered)
            Sent.Enqueue((recipient, messages));
        return new SendResult(outcome, outcome is SendOutcome.Delivered ? messages.Count : fromPart);
    }
}
