using System.Text;
using Microsoft.EntityFrameworkCore;
using PaperBot.Core.Data;
using PaperBot.Core.Issues;
using PaperBot.Core.Publishing;
using PaperBot.Core.Sending;
using PaperBot.Core.Subscribers;

namespace PaperBot.Channels.WeChat;

/// <summary>
/// Deliveries WeChat could not push (status Waiting: an unverified account, or outside the 48-hour window) are
/// offered in the reply to the subscriber's next message, and count as sent from then on; never to one who has
/// unsubscribed (not even in the reply that confirms it).
/// </summary>
public sealed class WeChatOffers(PaperBotDbContext db, IssueReader issues, TimeProvider clock)
{
    /// <summary>What a reply offers: its lines (none when the reply shows the one waiting issue itself) and the deliveries it takes.</summary>
    public sealed record Offer(string? Lines, IReadOnlyList<long> Deliveries);

    /// <summary>
    /// The lines that offer what waits for this subscriber, and the deliveries they take (marked sent, each by one
    /// reply only): each waiting issue but the one the reply shows, the newest offered with how to open it (「最新」 when
    /// it is the newest published, else 「往期 N」) and the older ones named with how to open them; the waiting
    /// announcements, oldest first, as many as fit in <paramref name="maxBytes"/> (always one) — the others wait for
    /// the next message. Null when nothing waits.
    /// </summary>
    /// <param name="shownIssue">The issue whose contents the reply shows ("最新", "往期 3"), so it is not offered again.</param>
    /// <param name="maxBytes">What the reply has room for (<see cref="WeChatFormatter.FooterBytes"/>).</param>
    public async Task<Offer?> TakeAsync(string openId, int? shownIssue, int maxBytes, CancellationToken cancellationToken)
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
        var shown = new Shown(shownIssue, waiting.Any(w => w.Kind == PushKind.Issue) ? await issues.LatestPublishedIdAsync(cancellationToken) : null);
        // Every waiting issue is named, so all of them are taken; announcements only while they fit.
        var candidates = waiting.Where(w => w.Kind == PushKind.Issue).ToList();
        var used = Bytes(Lines(candidates, [], say, shown));
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
        var lines = Lines(taken.Where(t => t.Kind == PushKind.Issue).ToList(), [.. taken.Where(t => t.Kind == PushKind.Broadcast && t.Text is not null)], say, shown);
        return new Offer(lines.Count == 0 ? null : string.Join("\n\n", lines), [.. taken.Select(t => t.Id)]);
    }

    /// <param name="waitingIssues">Newest first.</param>
    /// <param name="announcements">Oldest first.</param>
    private static List<string> Lines(List<Waiting> waitingIssues, List<Waiting> announcements, WeChatPhrases say, Shown shown)
    {
        var lines = new List<string>();
        var issueIds = waitingIssues.Where(i => i.IssueId is not null && i.IssueId != shown.Issue).Select(i => i.IssueId!.Value).Distinct().ToList();
        // Only the newest published issue opens with 「最新」; an older one is named with its own number.
        if (issueIds.Count > 0 && issueIds[0] == shown.Latest)
        {
            lines.Add(say.IssueOffer(issueIds[0], waitingIssues.First(i => i.IssueId == issueIds[0]).IssueTitle ?? ""));
            issueIds.RemoveAt(0);
        }

        if (issueIds.Count > 0)
            lines.Add(say.MissedIssues(issueIds, also: lines.Count > 0 || shown.Issue is not null));
        lines.AddRange(announcements.Select(a => say.AnnouncementOffer(a.Text!)));
        return lines;
    }

    /// <param name="Issue">The issue the reply shows.</param>
    /// <param name="Latest">The newest published issue.</param>
    private sealed record Shown(int? Issue, int? Latest);

    private static int Bytes(List<string> lines) => Encoding.UTF8.GetByteCount(string.Join("\n\n", lines));

    private sealed record Waiting(long Id, PushKind Kind, int? IssueId, string? IssueTitle, string? Text, string Language);

    /// <summary>The offered deliveries wait again: the reply that carried them never reached the subscriber.</summary>
    public Task<int> PutBackAsync(IReadOnlyList<long> deliveries, CancellationToken cancellationToken) =>
        db.Deliveries.Where(d => deliveries.Contains(d.Id) && d.Status == DeliveryStatus.Sent)
            .ExecuteUpdateAsync(d => d
                .SetProperty(x => x.Status, DeliveryStatus.Waiting)
                .SetProperty(x => x.SentAt, (DateTimeOffset?)null), cancellationToken);
}
