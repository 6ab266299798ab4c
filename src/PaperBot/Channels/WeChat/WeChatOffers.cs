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
public sealed class WeChatOffers(PaperBotDbContext db, StorageDialect dialect, IssueReader issues, TimeProvider clock)
{
    /// <summary>What a reply offers: its lines (none when the reply shows the one waiting issue itself) and the deliveries it takes.</summary>
    public sealed record Offer(string? Lines, IReadOnlyList<OfferedDelivery> Deliveries);

    /// <summary>
    /// The lines that offer what waits for this subscriber, and the deliveries they take (each by one reply only): each
    /// waiting issue but the one the reply shows, the newest offered with how to open it (「最新」 when it is the newest
    /// published, else 「往期 N」) and the older ones named with how to open them; the waiting announcements, oldest
    /// first, as many as fit in <paramref name="maxBytes"/> — the others wait for the next message. An announcement
    /// longer than the room left is shown as far as it fits, with a line saying the rest comes with the next message;
    /// it waits until its last piece is shown, the characters shown so far kept in its <see cref="Delivery.PartsSent"/>.
    /// Null when nothing waits.
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
                select new Waiting(d.Id, d.PushId, p.Kind, p.IssueId, p.Issue != null ? p.Issue.Title : null, p.Text, s.Language, d.PartsSent))
            .ToListAsync(cancellationToken);
        if (waiting.Count == 0)
            return null;

        var say = WeChatPhrases.For(waiting[0].Language);
        var shown = new Shown(shownIssue, waiting.Any(w => w.Kind == PushKind.Issue) ? await issues.LatestPublishedIdAsync(cancellationToken) : null);
        // Every waiting issue is named, so all of them are taken; announcements only while they fit.
        var candidates = waiting.Where(w => w.Kind == PushKind.Issue).Select(w => new Piece(w, 0, 0)).ToList();
        var used = Bytes(Lines(candidates, [], say, shown));
        var pieces = new List<Piece>();
        foreach (var announcement in waiting.Where(w => w.Kind == PushKind.Broadcast && w.Text is not null).Reverse())
        {
            var text = announcement.Text!;
            var from = Math.Clamp(announcement.PartsSent, 0, text.Length);
            var separator = used > 0 ? 2 : 0;
            var bytes = Bytes([Line(new Piece(announcement, from, text.Length), say)]) + separator;
            if (used + bytes <= maxBytes)
            {
                pieces.Add(new Piece(announcement, from, text.Length));
                used += bytes;
                continue;
            }

            // The first that does not fit goes as far as it fits, so that a long one still reaches the reader piece by piece.
            if (pieces.Count == 0)
            {
                var room = maxBytes - used - separator - Bytes([Line(new Piece(announcement, from, from), say)]);
                pieces.Add(new Piece(announcement, from, from + WeChatFormatter.FittingLength(text[from..], room)));
            }

            break;
        }

        candidates.AddRange(pieces);
        candidates.AddRange(waiting.Where(w => w.Kind == PushKind.Broadcast && w.Text is null).Select(w => new Piece(w, 0, 0)));

        // One by one, so a delivery another reply took meanwhile is neither offered twice nor counted here; and to the
        // end once begun, so a cancelled message leaves none marked sent that its offer would not name.
        cancellationToken.ThrowIfCancellationRequested();
        var now = clock.GetUtcNow();
        var taken = new List<Piece>();
        await using (var transaction = await LockTalliesAsync(candidates.Select(c => c.Delivery.PushId)))
        {
            foreach (var piece in candidates)
            {
                var query = db.Deliveries.Where(d => d.Id == piece.Delivery.Id && d.Status == DeliveryStatus.Waiting && d.PartsSent == piece.Delivery.PartsSent);
                var updated = piece.Finished
                    ? await query.ExecuteUpdateAsync(d => d
                        .SetProperty(x => x.Status, DeliveryStatus.Sent)
                        .SetProperty(x => x.SentAt, now)
                        .SetProperty(x => x.LastError, (string?)null), CancellationToken.None)
                    : await query.ExecuteUpdateAsync(d => d.SetProperty(x => x.PartsSent, piece.To), CancellationToken.None);
                if (updated == 1)
                    taken.Add(piece);
            }

            await transaction.CommitAsync(CancellationToken.None);
        }

        if (taken.Count == 0)
            return null;
        var lines = Lines(taken.Where(t => t.Delivery.Kind == PushKind.Issue).ToList(), [.. taken.Where(t => t.Delivery.Kind == PushKind.Broadcast && t.Delivery.Text is not null)], say, shown);
        return new Offer(
            lines.Count == 0 ? null : string.Join("\n\n", lines),
            [.. taken.Select(t => new OfferedDelivery(t.Delivery.Id, t.Delivery.PartsSent, t.Finished ? t.Delivery.PartsSent : t.To))]);
    }

    /// <param name="waitingIssues">Newest first.</param>
    /// <param name="announcements">Oldest first.</param>
    private static List<string> Lines(List<Piece> waitingIssues, List<Piece> announcements, WeChatPhrases say, Shown shown)
    {
        var lines = new List<string>();
        var issueIds = waitingIssues.Select(i => i.Delivery.IssueId).Where(i => i is not null && i != shown.Issue).Select(i => i!.Value).Distinct().ToList();
        // Only the newest published issue opens with 「最新」; an older one is named with its own number.
        if (issueIds.Count > 0 && issueIds[0] == shown.Latest)
        {
            lines.Add(say.IssueOffer(issueIds[0], waitingIssues.First(i => i.Delivery.IssueId == issueIds[0]).Delivery.IssueTitle ?? ""));
            issueIds.RemoveAt(0);
        }

        if (issueIds.Count > 0)
            lines.Add(say.MissedIssues(issueIds, also: lines.Count > 0 || shown.Issue is not null));
        lines.AddRange(announcements.Select(a => Line(a, say)));
        return lines;
    }

    private static string Line(Piece announcement, WeChatPhrases say) =>
        say.AnnouncementOffer(announcement.Delivery.Text![announcement.From..announcement.To].Trim(), continued: announcement.From > 0, more: !announcement.Finished);

    /// <param name="Issue">The issue the reply shows.</param>
    /// <param name="Latest">The newest published issue.</param>
    private sealed record Shown(int? Issue, int? Latest);

    private static int Bytes(List<string> lines) => Encoding.UTF8.GetByteCount(string.Join("\n\n", lines));

    /// <summary>
    /// A transaction that holds the WeChat tallies of <paramref name="pushIds"/> before it changes any of their
    /// deliveries, as the result writer and a resend do (<see cref="DeliveryResults.LockTalliesAsync"/>): a status change
    /// locks its tally through the database's trigger after the delivery, and a late result for the same delivery takes
    /// the tally first, so the two would deadlock on PostgreSQL.
    /// </summary>
    private async Task<Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction> LockTalliesAsync(IEnumerable<int> pushIds)
    {
        var transaction = await db.Database.BeginTransactionAsync(CancellationToken.None);
        try
        {
            await DeliveryResults.LockTalliesAsync(db, dialect, pushIds.Distinct().ToList(), Channel.WeChat, CancellationToken.None);
            return transaction;
        }
        catch
        {
            await transaction.DisposeAsync();
            throw;
        }
    }

    private sealed record Waiting(long Id, int PushId, PushKind Kind, int? IssueId, string? IssueTitle, string? Text, string Language, int PartsSent);

    /// <summary>What a reply shows of a waiting delivery: an announcement's characters from <see cref="From"/> to <see cref="To"/>.</summary>
    private sealed record Piece(Waiting Delivery, int From, int To)
    {
        public bool Finished => Delivery.Text is null || To >= Delivery.Text.Length;
    }

    /// <summary>The offered deliveries wait again, an announcement from the piece it showed: the reply that carried them never reached the subscriber.</summary>
    public async Task<int> PutBackAsync(IReadOnlyList<OfferedDelivery> deliveries, CancellationToken cancellationToken)
    {
        var ids = deliveries.Select(d => d.Id).ToList();
        var pushIds = await db.Deliveries.Where(d => ids.Contains(d.Id)).Select(d => d.PushId).Distinct().ToListAsync(cancellationToken);
        var count = 0;
        await using var transaction = await LockTalliesAsync(pushIds);
        foreach (var offered in deliveries)
        {
            count += await db.Deliveries
                .Where(d => d.Id == offered.Id && d.PartsSent == offered.ShownAfter
                    && (d.Status == DeliveryStatus.Sent || d.Status == DeliveryStatus.Waiting && offered.ShownAfter != offered.ShownBefore))
                .ExecuteUpdateAsync(d => d
                    .SetProperty(x => x.Status, DeliveryStatus.Waiting)
                    .SetProperty(x => x.SentAt, (DateTimeOffset?)null)
                    .SetProperty(x => x.PartsSent, offered.ShownBefore), cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return count;
    }
}

/// <summary>A delivery a reply took: of an announcement shown piece by piece, the characters shown before it and after it.</summary>
public sealed record OfferedDelivery(long Id, int ShownBefore, int ShownAfter);
