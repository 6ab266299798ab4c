using Microsoft.EntityFrameworkCore;
using PaperBot.Core.Data;
using PaperBot.Core.Publishing;
using PaperBot.Core.Sending;
using PaperBot.Core.Subscribers;

namespace PaperBot.Channels.WeChat;

/// <summary>
/// Deliveries WeChat could not push (status Waiting: an unverified account, or outside the 48-hour window) are
/// offered in the reply to the subscriber's next message, and count as sent from then on; never to one who has
/// unsubscribed (not even in the reply that confirms it).
/// </summary>
public sealed class WeChatOffers(PaperBotDbContext db, TimeProvider clock)
{
    /// <summary>What a reply offers: its lines (none when the reply shows the issue itself) and the deliveries it takes.</summary>
    public sealed record Offer(string? Lines, IReadOnlyList<long> Deliveries);

    /// <summary>
    /// The lines that offer the newest waiting issue and announcement, with every waiting delivery of this subscriber
    /// marked sent; null when nothing waits.
    /// </summary>
    /// <param name="askedForLatest">The reply already shows the newest issue ("最新"), so it is not offered again.</param>
    public async Task<Offer?> TakeAsync(string openId, bool askedForLatest, CancellationToken cancellationToken)
    {
        var waiting = await (
                from d in db.Deliveries.AsNoTracking()
                join s in db.Subscribers on d.SubscriberId equals s.Id
                join p in db.Pushes on d.PushId equals p.Id
                where d.Status == DeliveryStatus.Waiting && s.Channel == Channel.WeChat && s.ChatId == openId && s.Status == SubscriberStatus.Active
                orderby d.Id descending
                select new
                {
                    d.Id,
                    p.Kind,
                    p.IssueId,
                    IssueTitle = p.Issue != null ? p.Issue.Title : null,
                    p.Text,
                    s.Language,
                })
            .ToListAsync(cancellationToken);
        if (waiting.Count == 0)
            return null;

        var ids = waiting.Select(w => w.Id).ToList();
        var now = clock.GetUtcNow();
        var taken = await db.Deliveries.Where(d => ids.Contains(d.Id) && d.Status == DeliveryStatus.Waiting)
            .ExecuteUpdateAsync(d => d
                .SetProperty(x => x.Status, DeliveryStatus.Sent)
                .SetProperty(x => x.SentAt, now)
                .SetProperty(x => x.LastError, (string?)null), cancellationToken);
        if (taken == 0)
            return null;

        var say = WeChatPhrases.For(waiting[0].Language);
        var lines = new List<string>();
        if (!askedForLatest && waiting.FirstOrDefault(w => w.Kind == PushKind.Issue) is { IssueId: { } issueId } issue)
            lines.Add(say.IssueOffer(issueId, issue.IssueTitle ?? ""));
        if (waiting.FirstOrDefault(w => w.Kind == PushKind.Broadcast) is { Text: { } announcement })
            lines.Add(say.AnnouncementOffer(announcement));
        return new Offer(lines.Count == 0 ? null : string.Join("\n\n", lines), ids);
    }

    /// <summary>The offered deliveries wait again: the reply that carried them never reached the subscriber.</summary>
    public Task<int> PutBackAsync(IReadOnlyList<long> deliveries, CancellationToken cancellationToken) =>
        db.Deliveries.Where(d => deliveries.Contains(d.Id) && d.Status == DeliveryStatus.Sent)
            .ExecuteUpdateAsync(d => d
                .SetProperty(x => x.Status, DeliveryStatus.Waiting)
                .SetProperty(x => x.SentAt, (DateTimeOffset?)null), cancellationToken);
}
