using System.Text;
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
    /// The lines that offer what waits for this subscriber, and the deliveries they take (marked sent, each by one
    /// reply only): the newest waiting issue, with the older ones named and how to open them; the waiting
    /// announcements, oldest first, as many as fit in <paramref name="maxBytes"/> (always one) — the others wait for
    /// the next message. Null when nothing waits.
    /// </summary>
    /// <param name="askedForLatest">The reply already shows the newest issue ("最新"), so it is not offered again.</param>
    /// <param name="maxBytes">What the reply has room for (<see cref="WeChatFormatter.FooterBytes"/>).</param>
    public async Task<Offer?> TakeAsync(string openId, bool askedForLatest, int maxBytes, CancellationToken cancellationToken)
    {
        var waiting = await (
                from d in db.Deliveries.AsNoTracking()
                join s in db.Subscribers on d.SubscriberId equals s.Id
                join p in db.Pushes on d.PushId equals p.Id
                where d.Status == DeliveryStatus.Waiting && s.Channel == Channel.WeChat && s.ChatId == openId && s.Status == SubscriberStatus.Active
                orderby d.Id descending
                select new Waiting(d.Id, p.Kind, p.IssueId, p.Issue != null ? p.Issue.Title : null, p.Text, s.Language))
            .ToListAsync(cancellationToken);
        if (waiting.Count == 0)
            return null;

        var say = WeChatPhrases.For(waiting[0].Language);
        // Every waiting issue is named, so all of them are taken; announcements only while they fit.
        var candidates = waiting.Where(w => w.Kind == PushKind.Issue).ToList();
        var used = Bytes(Lines(candidates, [], say, askedForLatest));
        var announcements = new List<Waiting>();
        foreach (var announcement in waiting.Where(w => w.Kind == PushKind.Broadcast && w.Text is not null).Reverse())
        {
            var bytes = Bytes([say.AnnouncementOffer(announcement.Text!)]) + (used > 0 ? 2 : 0);
            if (announcements.Count > 0 && used + bytes > maxBytes)
                break;
            announcements.Add(announcement);
            used += bytes;
        }

        candidates.AddRange(announcements);
        candidates.AddRange(waiting.Where(w => w.Kind == PushKind.Broadcast && w.Text is null));

        // One by one, so a delivery another reply took meanwhile is neither offered twice nor counted here; and to the
        // end once begun, so a cancelled message leaves none marked sent that its offer would not name.
        cancellationToken.ThrowIfCancellationRequested();
        var now = clock.GetUtcNow();
        var taken = new List<Waiting>();
        foreach (var delivery in candidates)
        {
            if (await db.Deliveries.Where(d => d.Id == delivery.Id && d.Status == DeliveryStatus.Waiting)
                    .ExecuteUpdateAsync(d => d
                        .SetProperty(x => x.Status, DeliveryStatus.Sent)
                        .SetProperty(x => x.SentAt, now)
                        .SetProperty(x => x.LastError, (string?)null), CancellationToken.None) == 1)
                taken.Add(delivery);
        }

        if (taken.Count == 0)
            return null;
        var lines = Lines(taken.Where(t => t.Kind == PushKind.Issue).ToList(), [.. taken.Where(t => t.Kind == PushKind.Broadcast && t.Text is not null)], say, askedForLatest);
        return new Offer(lines.Count == 0 ? null : string.Join("\n\n", lines), [.. taken.Select(t => t.Id)]);
    }

    /// <param name="issues">Newest first.</param>
    /// <param name="announcements">Oldest first.</param>
    private static List<string> Lines(List<Waiting> issues, List<Waiting> announcements, WeChatPhrases say, bool askedForLatest)
    {
        var lines = new List<string>();
        var issueIds = issues.Where(i => i.IssueId is not null).Select(i => i.IssueId!.Value).Distinct().ToList();
        if (issueIds.Count > 0 && !askedForLatest)
            lines.Add(say.IssueOffer(issueIds[0], issues.First(i => i.IssueId == issueIds[0]).IssueTitle ?? ""));
        if (issueIds.Count > 1)
            lines.Add(say.MissedIssues(issueIds[1..]));
        lines.AddRange(announcements.Select(a => say.AnnouncementOffer(a.Text!)));
        return lines;
    }

    private static int Bytes(List<string> lines) => Encoding.UTF8.GetByteCount(string.Join("\n\n", lines));

    private sealed record Waiting(long Id, PushKind Kind, int? IssueId, string? IssueTitle, string? Text, string Language);

    /// <summary>The offered deliveries wait again: the reply that carried them never reached the subscriber.</summary>
    public Task<int> PutBackAsync(IReadOnlyList<long> deliveries, CancellationToken cancellationToken) =>
        db.Deliveries.Where(d => deliveries.Contains(d.Id) && d.Status == DeliveryStatus.Sent)
            .ExecuteUpdateAsync(d => d
                .SetProperty(x => x.Status, DeliveryStatus.Waiting)
                .SetProperty(x => x.SentAt, (DateTimeOffset?)null), cancellationToken);
}
