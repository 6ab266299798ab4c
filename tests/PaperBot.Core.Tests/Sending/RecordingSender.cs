using System.Collections.Concurrent;
using PaperBot.Core.Commands;
using PaperBot.Core.Sending;
using PaperBot.Core.Subscribers;

namespace PaperBot.Core.Tests.Sending;

/// <summary>A channel that records what it was asked to send; a script per chat decides each send's outcome.</summary>
internal class RecordingSender(Channel channel = Channel.Telegram) : IChannelSender
{
    private readonly ConcurrentDictionary<string, ConcurrentQueue<SendOutcome>> scripts = new();

    public Channel Channel => channel;

    public ConcurrentQueue<(Recipient Recipient, IReadOnlyList<ReplyMessage> Messages)> Sent { get; } = new();

    public ConcurrentQueue<string> Attempts { get; } = new();

    /// <summary>The next sends to <paramref name="chatId"/> come out as <paramref name="outcomes"/>, in order; then Delivered.</summary>
    public void Script(string chatId, params SendOutcome[] outcomes)
    {
        var queue = scripts.GetOrAdd(chatId, _ => new ConcurrentQueue<SendOutcome>());
        foreach (var outcome in outcomes)
            queue.Enqueue(outcome);
    }

    public IReadOnlyList<string> SentTo => Sent.Select(s => s.Recipient.ChatId).ToList();

    public string TextSentTo(string chatId) => string.Join("\n", Sent.Where(s => s.Recipient.ChatId == chatId).SelectMany(s => s.Messages).Select(m => m.ToPlainText()));

    public virtual Task<SendResult> SendAsync(Recipient recipient, IReadOnlyList<ReplyMessage> messages, int fromPart, CancellationToken cancellationToken)
    {
        Attempts.Enqueue(recipient.ChatId);
        var outcome = scripts.TryGetValue(recipient.ChatId, out var queue) && queue.TryDequeue(out var scripted) ? scripted : new SendOutcome.Delivered();
        if (outcome is SendOutcome.Delivered)
            Sent.Enqueue((recipient, messages));
        return Task.FromResult(new SendResult(outcome, outcome is SendOutcome.Delivered ? messages.Count : fromPart));
    }
}
