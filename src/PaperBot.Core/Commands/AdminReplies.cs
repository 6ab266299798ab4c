using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PaperBot.Core.Data;
using PaperBot.Core.Issues;
using PaperBot.Core.Publishing;
using PaperBot.Core.Sending;
using PaperBot.Core.Stats;
using PaperBot.Core.Topics;

namespace PaperBot.Core.Commands;

/// <summary>/publish (previewed, then confirmed), /broadcast (previewed, then /send or /cancel), /stats, /resend, /tag — for the ids listed under Admins.</summary>
public sealed class AdminReplies(
    IssuePublisher publisher, Broadcaster broadcaster, Resender resender, StatsReport stats, PushEstimate estimates, ChannelHealth health,
    IOptions<DeliveryOptions> delivery, PaperBotDbContext db, TimeProvider clock, PaperTopicsEditor topicsEditor, TopicCatalog catalog)
{
    public async Task<Reply> TagAsync(Conversation conversation, TagCommand command, CancellationToken cancellationToken)
    {
        var say = conversation.Say;
        var outcome = await topicsEditor.ChangeAsync(command.IssueId, command.Number, command.Add, command.Remove, conversation.Actor, cancellationToken);
        return Reply.Text(outcome switch
        {
            TopicEditOutcome.Changed changed => say.TopicsCorrected(changed.IssueId, changed.Number, Names(changed.Topics, say), Names(changed.Before, say)),
            TopicEditOutcome.Unchanged unchanged => say.TopicsUnchanged(unchanged.IssueId, unchanged.Number, Names(unchanged.Topics, say)),
            TopicEditOutcome.UnknownTopics unknown => say.UnknownTopic(string.Join(", ", unknown.Topics), string.Join(", ", catalog.All.Select(t => t.Slug))),
            TopicEditOutcome.PaperMissing missing => say.PaperNotInIssue(missing.IssueId, missing.Number, missing.PaperCount),
            TopicEditOutcome.IssueMissing { IssueId: { } id } => say.IssueNotFound(id),
            _ => say.NoIssueYet,
        });
    }

    private string Names(IReadOnlyList<string> slugs, Phrases say) =>
        slugs.Count == 0 ? say.NoTopic : string.Join("、", slugs.Select(s => catalog.Find(s)?.Name(say.Language) ?? s));

    /// <summary>What publishing would send — the issue, its recipients, how long — with a button to do it; nothing is sent yet.</summary>
    public async Task<Reply> PreviewPublishAsync(Conversation conversation, int? issueId, CancellationToken cancellationToken)
    {
        var say = conversation.Say;
        var issue = issueId is { } id
            ? await db.Issues.AsNoTracking().FirstOrDefaultAsync(i => i.Id == id, cancellationToken)
            : await publisher.NextInLineAsync(cancellationToken);
        if (issue is null)
            return Reply.Text(issueId is { } missing ? say.IssueNotFound(missing) : say.NothingToPublish);
        if (issue.Status == IssueStatus.Published)
            return Reply.Text(say.AlreadyPublished(issue.Id, issue.PublishedAt ?? issue.ImportedAt));

        var estimate = await estimates.ForAudienceAsync(includeChannelPosts: true, cancellationToken);
        return Reply.Of(new MessageBuilder()
            .Bold(say.PublishPreview(issue.Id, issue.Title, estimate.Recipients)).EndLine()
            .Line(say.EstimatedTime(estimate))
            .BlankLine()
            .Line(say.PublishConfirmHint(issue.Id))
            .ButtonRow(Button.Action(say.PublishButton(estimate.Recipients), ButtonData.Publish(issue.Id)), Button.Action(say.BroadcastCancelButton, ButtonData.DontPublish(issue.Id)))
            .Build());
    }

    public async Task<Reply> DecidePublishAsync(Conversation conversation, PublishDecisionCommand decision, CancellationToken cancellationToken)
    {
        var reply = decision.Publish
            ? await PublishAsync(conversation, decision.IssueId, cancellationToken)
            : await DontPublishAsync(conversation, decision.IssueId, cancellationToken);
        return new Reply(reply.Messages.Select(m => m with { ReplacesOriginal = true }).ToList());
    }

    /// <summary>
    /// Cancel on a preview only says "not published" while that is true: the schedule or another admin may have
    /// published the issue since the preview was shown.
    /// </summary>
    private async Task<Reply> DontPublishAsync(Conversation conversation, int issueId, CancellationToken cancellationToken)
    {
        var published = await db.Issues.AsNoTracking()
            .Where(i => i.Id == issueId && i.Status == IssueStatus.Published)
            .FirstOrDefaultAsync(cancellationToken);
        return Reply.Text(published is null
            ? conversation.Say.PublishCancelled(issueId)
            : conversation.Say.AlreadyPublished(issueId, published.PublishedAt ?? published.ImportedAt));
    }

    private async Task<Reply> PublishAsync(Conversation conversation, int issueId, CancellationToken cancellationToken)
    {
        var say = conversation.Say;
        var outcome = await publisher.PublishAsync(issueId, conversation.Actor, cancellationToken);
        if (outcome is not PublishOutcome.Published published)
        {
            return Reply.Text(outcome switch
            {
                PublishOutcome.IssueMissing missing => say.IssueNotFound(missing.IssueId),
                PublishOutcome.AlreadyPublished already => say.AlreadyPublished(already.IssueId, already.At),
                _ => say.NothingToPublish,
            });
        }

        var estimate = await estimates.ForPushAsync(published.PushId, cancellationToken);
        return Reply.Of(ReplyMessage.Text($"{say.Published(published.IssueId, published.Recipients)} {say.EstimatedTime(estimate)}") with { TracksPush = published.PushId });
    }

    public async Task<Reply> BroadcastAsync(Conversation conversation, string text, CancellationToken cancellationToken)
    {
        var say = conversation.Say;
        if (text.Length > Broadcaster.MaxTextLength)
            return Reply.Text(say.TooLong);
        var draft = await broadcaster.DraftAsync(text, conversation.Actor, cancellationToken);
        var estimate = await estimates.ForAudienceAsync(includeChannelPosts: false, cancellationToken);
        return Reply.Of(new MessageBuilder()
            .Bold(say.BroadcastPreview(draft.RecipientCount)).EndLine()
            .Line(say.EstimatedTime(estimate))
            .BlankLine()
            .Line(text)
            .BlankLine()
            .Line(say.BroadcastConfirmHint(draft.Id))
            .ButtonRow(Button.Action(say.BroadcastSendButton(draft.RecipientCount), ButtonData.SendBroadcast(draft.Id)), Button.Action(say.BroadcastCancelButton, ButtonData.CancelBroadcast(draft.Id)))
            .Build());
    }

    public async Task<Reply> DecideBroadcastAsync(Conversation conversation, BroadcastDecisionCommand decision, CancellationToken cancellationToken)
    {
        var say = conversation.Say;
        var outcome = decision.Send
            ? await broadcaster.ConfirmAsync(decision.PushId, conversation.Actor, cancellationToken)
            : await broadcaster.CancelAsync(decision.PushId, cancellationToken);
        var message = outcome switch
        {
            BroadcastOutcome.Queued queued => ReplyMessage.Text(say.BroadcastQueued(queued.Push.RecipientCount)) with { TracksPush = queued.Push.Id },
            BroadcastOutcome.Cancelled => ReplyMessage.Text(say.BroadcastCancelled),
            _ => ReplyMessage.Text(say.BroadcastNotADraft(decision.PushId)),
        };
        return Reply.Of(message with { ReplacesOriginal = true });
    }

    /// <summary>Publishing and broadcasting audit themselves; reading the numbers is an admin action too.</summary>
    public async Task<Reply> StatsAsync(Conversation conversation, CancellationToken cancellationToken)
    {
        db.Audit(clock.GetUtcNow(), conversation.Actor, "stats");
        var report = await stats.BuildAsync(recentPushes: 5, cancellationToken);
        var next = await estimates.ForAudienceAsync(includeChannelPosts: true, cancellationToken);
        var channels = await health.ReadAsync(cancellationToken);
        return Reply.Of(ReplyMessage.Text(StatsText.Render(report, next, channels, delivery.Value)));
    }

    public async Task<Reply> ResendAsync(Conversation conversation, int issueId, CancellationToken cancellationToken)
    {
        var say = conversation.Say;
        return await resender.ResendAsync(issueId, conversation.Actor, cancellationToken) switch
        {
            ResendOutcome.Requeued requeued => Reply.Of(ReplyMessage.Text(say.Resent(requeued.IssueId, requeued.Deliveries)) with { TracksPush = requeued.PushId }),
            ResendOutcome.NothingToResend nothing => Reply.Text(say.NothingToResend(nothing.IssueId)),
            ResendOutcome.NotPublished draft => Reply.Text(say.NotPublishedYet(draft.IssueId)),
            _ => Reply.Text(say.IssueNotFound(issueId)),
        };
    }
}
