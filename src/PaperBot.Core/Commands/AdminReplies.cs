using PaperBot.Core.Data;
using PaperBot.Core.Delivery;

namespace PaperBot.Core.Commands;

/// <summary>/publish, /broadcast, /stats — for the ids listed under Admins.</summary>
public sealed class AdminReplies(IssuePublisher publisher, Broadcaster broadcaster, StatsReport stats, PaperBotDbContext db, TimeProvider clock)
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

    /// <summary>Publishing and broadcasting audit themselves; reading the numbers is an admin action too.</summary>
    public async Task<Reply> StatsAsync(Conversation conversation, CancellationToken cancellationToken)
    {
        db.Audit(clock.GetUtcNow(), conversation.Actor, "stats");
        var report = await stats.BuildAsync(recentPushes: 5, cancellationToken);
        return Reply.Of(ReplyMessage.Text(StatsText.Render(report)));
    }
}
