using System.Globalization;
using PaperBot.Core.Commands;
using PaperBot.Core.Sending;
using PaperBot.Core.Subscribers;
using PaperBot.Core.Topics;

namespace PaperBot.Core.Publishing;

/// <summary>What one push says to one recipient: the issue reduced to their topics, or the announcement.</summary>
public sealed class DigestMessages(TopicCatalog catalog)
{
    /// <summary>The messages for <paramref name="recipient"/>; empty when no paper matches their topics (the delivery is skipped).</summary>
    public IReadOnlyList<ReplyMessage> For(Push push, Recipient recipient, IReadOnlySet<string> topics)
    {
        var say = Phrases.For(recipient.Language);
        if (push.Kind == PushKind.Broadcast)
            return [new MessageBuilder().Bold(say.BroadcastHeading).EndLine().BlankLine().Line(push.Text ?? "").Build()];

        var issue = push.Issue ?? throw new InvalidOperationException($"push {push.Id} has no issue loaded");
        topics = catalog.Current(topics);
        var papers = TopicFilter.Matching(issue.Papers, topics).ToList();
        if (papers.Count == 0)
            return [];

        var message = new MessageBuilder().Bold(say.DigestHeading(issue.Id, issue.Title)).EndLine().BlankLine();
        message.Line(topics.Count == 0
            ? say.DigestAll(issue.Papers.Count)
            : say.DigestFiltered(papers.Count, issue.Papers.Count, string.Join("、", catalog.All.Where(t => topics.Contains(t.Slug)).Select(t => t.Name(say.Language)))));
        foreach (var paper in papers)
        {
            message.Text($"{paper.Number}. ");
            if ((paper.PaperUrl ?? paper.ProjectUrl ?? paper.CodeUrl) is { } url)
                message.Link(paper.Title, url);
            else
                message.Text(paper.Title);
            message.EndLine();
        }

        message.BlankLine();
        if (papers.Count < issue.Papers.Count)
            message.Line(say.DigestFilteredOut(issue.Papers.Count - papers.Count));
        if (issue.ArticleUrl is { } article)
            message.Link(say.ReadArticle, article).EndLine();
        // A channel post has no one to answer a button press privately, so it carries links only.
        if (recipient.Kind != ChatKind.Channel)
        {
            message.Line(say.DigestHint);
            message.ButtonRows(papers.Select(p => Button.Action(p.Number.ToString(CultureInfo.InvariantCulture), ButtonData.OpenPaper(issue.Id, p.Number))), perRow: 7);
        }

        return [message.Build() with { Issue = issue.Id }];
    }
}
