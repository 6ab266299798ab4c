using PaperBot.Core.Subscribers;

namespace PaperBot.Core.Commands;

/// <summary>One inbound message with what the handlers need to answer it.</summary>
public sealed record Conversation(InboundMessage Message, Subscriber Subscriber, bool IsAdmin)
{
    public Phrases Say { get; } = Phrases.For(Subscriber.Language);

    public string Actor => AdminDirectory.Actor(Message);
}
