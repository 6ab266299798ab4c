using PaperBot.Core.Delivery;

namespace PaperBot.Core.Commands;

/// <summary>/publish, /broadcast, /stats — for the ids listed under Admins.</summary>
public sealed class AdminReplies(IssuePublisher publisher, Broadcaster broadcaster, StatsReport stats)
{
    public async Task<Reply> PublishAsync(Conversation conversation, int? issueId, CancellationToken cancellationToken)
    {
        var say = conversation.Say;
        var outcome = await publisher.PublishAsync(issueId, conversation.Actor, cancellationToken);
        return Reply.Text(outcome switch
        {
            PublishOutcome.Published published => say.Published(published.IssueId, published.Recipients),
            PublishOutcome.IssueMissing missing => say.IssueNotFound(missing.IssueId),
            PublishOutcome.AlreadyPublished already => say.AlreadyPublished(already.IssueId, already.At),
            _ => say.NothingToPublish,
        });
    }

    public async Task<Reply> BroadcastAsync(Conversation conversation, string text, CancellationToken cancellationToken)
    {
        if (text.Length > Broadcaster.MaxTextLength)
            return Reply.Text(conversation.Say.TooLong);
        var push = await broadcaster.QueueAsync(text, conversation.Actor, cancellationToken);
        return Reply.Text(conversation.Say.BroadcastQueued(push.RecipientCount));
    }

    public async Task<Reply> StatsAsync(CancellationToken cancellationToken)
    {
        var report = await stats.BuildAsync(recentPushes: 5, cancellationToken);
        return Reply.Of(ReplyMessage.Text(StatsText.Render(report)));
    }
}
