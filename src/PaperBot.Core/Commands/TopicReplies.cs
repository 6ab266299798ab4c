using PaperBot.Core.Issues;
using PaperBot.Core.Subscribers;
using PaperBot.Core.Topics;

namespace PaperBot.Core.Commands;

/// <summary>/topics: the filter that decides which papers of each issue a subscriber receives.</summary>
public sealed class TopicReplies(TopicCatalog catalog, IssueReader issues)
{
    public async Task<Reply> HandleAsync(Conversation conversation, TopicsCommand command, CancellationToken cancellationToken)
    {
        var say = conversation.Say;
        var subscriber = conversation.Subscriber;
        string? notice = null;
        if (command.Action == TopicAction.Clear)
        {
            subscriber.Topics.Clear();
            notice = say.TopicsCleared;
        }
        else if (command.Action != TopicAction.Show)
        {
            var topic = catalog.Find(command.Topic ?? "");
            if (topic is null)
                return Reply.Text(say.UnknownTopic(command.Topic ?? "", Available(say)));
            notice = Change(subscriber, topic, command.Action, say);
        }

        var latest = await issues.LatestPublishedAsync(cancellationToken);
        return Reply.Of(Filter(subscriber, latest, say, notice) with { ReplacesOriginal = command.FromButton });
    }

    private static string Change(Subscriber subscriber, Topic topic, TopicAction action, Phrases say)
    {
        var name = topic.Name(say.Language);
        var present = subscriber.Topics.FirstOrDefault(t => t.Topic == topic.Slug);
        switch (action)
        {
            case TopicAction.Add or TopicAction.Toggle when present is null:
                subscriber.Topics.Add(new SubscriberTopic { Topic = topic.Slug });
                return say.TopicAdded(name);
            case TopicAction.Add:
                return say.TopicAlreadyAdded(name);
            case TopicAction.Remove or TopicAction.Toggle when present is not null:
                subscriber.Topics.Remove(present);
                return say.TopicRemoved(name);
            default:
                return say.TopicNotInFilter(name);
        }
    }

    private ReplyMessage Filter(Subscriber subscriber, Issue? latest, Phrases say, string? notice)
    {
        var chosen = catalog.Current(subscriber.Topics.Select(t => t.Topic));
        var message = new MessageBuilder();
        if (notice is not null)
            message.Line(notice).BlankLine();
        message.Line(chosen.Count == 0
            ? say.TopicFilterAll
            : say.TopicFilter(string.Join("、", catalog.All.Where(t => chosen.Contains(t.Slug)).Select(t => t.Name(say.Language)))));
        if (latest is not null)
        {
            var matched = TopicFilter.Matching(latest.Papers, chosen).Select(p => p.Number).ToList();
            message.Line(say.TopicPreview(matched.Count, latest.Papers.Count, string.Join(", ", matched)));
        }

        message.BlankLine().Line(say.TopicGuide);
        foreach (var topic in catalog.All)
            message.Line($"· {topic.Name(say.Language)} ({topic.Slug})" + (topic.Describe(say.Language) is { } line ? $":{line}" : ""));
        message.BlankLine().Line(say.TopicHelp);
        message.ButtonRows(catalog.All.Select(t => Button.Action((chosen.Contains(t.Slug) ? "✓ " : "") + t.Name(say.Language), ButtonData.ToggleTopic(t.Slug))), perRow: 2);
        message.ButtonRow(Button.Action(say.ClearTopicsButton, ButtonData.ClearTopics));
        return message.Build();
    }

    private string Available(Phrases say) =>
        string.Join(", ", catalog.All.Select(t => $"{t.Slug}({t.Name(say.Language)})"));
}
