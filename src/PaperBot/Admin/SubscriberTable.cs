using Microsoft.EntityFrameworkCore;
using PaperBot.Core.Data;
using PaperBot.Core.Subscribers;
using PaperBot.Core.Topics;

namespace PaperBot.Admin;

public sealed record SubscriberQuery(string? Search, Channel? Channel, SubscriberStatus? Status, bool OldestSeenFirst, int Page);

public sealed record SubscriberRow(
    int Id, Channel Channel, string ChatId, ChatKind Kind, string? DisplayName, string Language,
    SubscriberStatus Status, IReadOnlyList<string> Topics, DateTimeOffset LastSeenAt, DateTimeOffset? SubscribedAt);

public sealed record SubscriberPage(IReadOnlyList<SubscriberRow> Rows, int Total, int Page, int Pages);

/// <summary>The subscribers table: search by chat id, name or topic; filter by channel and status; by last seen; 50 a page.</summary>
public sealed class SubscriberTable(PaperBotDbContext db, TopicCatalog catalog)
{
    public const int PageSize = 50;

    public async Task<SubscriberPage> ReadAsync(SubscriberQuery query, CancellationToken cancellationToken)
    {
        var subscribers = db.Subscribers.AsNoTracking();
        if (query.Channel is { } channel)
            subscribers = subscribers.Where(s => s.Channel == channel);
        if (query.Status is { } status)
            subscribers = subscribers.Where(s => s.Status == status);
        if (query.Search?.Trim() is { Length: > 0 } search)
        {
            var lower = search.ToLowerInvariant();
            UnicodeLower.UseFor(db);
            var topic = catalog.Find(search)?.Slug;
            // EF translates ToLower() to SQL lower() on both providers; the culture-aware overloads do not translate.
#pragma warning disable CA1304, CA1311, CA1862
            subscribers = subscribers.Where(s =>
                s.ChatId.Contains(search)
                || (s.DisplayName != null && s.DisplayName.ToLower().Contains(lower))
                || (topic != null && s.Topics.Any(t => t.Topic == topic)));
#pragma warning restore CA1304, CA1311, CA1862
        }

        var total = await subscribers.CountAsync(cancellationToken);
        var pages = Math.Max(1, (total + PageSize - 1) / PageSize);
        var page = Math.Clamp(query.Page, 1, pages);
        var ordered = query.OldestSeenFirst
            ? subscribers.OrderBy(s => s.LastSeenAt).ThenBy(s => s.Id)
            : subscribers.OrderByDescending(s => s.LastSeenAt).ThenByDescending(s => s.Id);
        var rows = await ordered
            .Skip((page - 1) * PageSize).Take(PageSize)
            .Select(s => new SubscriberRow(s.Id, s.Channel, s.ChatId, s.Kind, s.DisplayName, s.Language, s.Status,
                s.Topics.Select(t => t.Topic).ToList(), s.LastSeenAt, s.SubscribedAt))
            .ToListAsync(cancellationToken);
        return new SubscriberPage(rows, total, page, pages);
    }
}
