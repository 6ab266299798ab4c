using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PaperBot.Core.Commands;
using PaperBot.Core.Data;
using PaperBot.Core.Publishing;
using PaperBot.Core.Subscribers;

namespace PaperBot.Core.Sending;

/// <summary>A claimed delivery with the messages it sends; none, and why, when it is not to be sent.</summary>
public sealed record PreparedDelivery(ClaimedDelivery Delivery, IReadOnlyList<ReplyMessage> Messages, string? SkippedBecause = null);

/// <summary>
/// Turns a claimed batch into what each recipient gets. Recipients with the same push, language, kind and topic filter
/// get the very same message instances, rendered once, so channels can format once and batch senders can group by them.
/// A subscriber who left after the push was queued gets nothing, and nor does one whose topics no paper matches.
/// </summary>
public sealed class BatchPreparation(IServiceScopeFactory scopes, DigestMessages digests)
{
    private const int MaxCachedPushes = 32;

    private readonly Dictionary<int, Push> pushes = [];

    public async Task<IReadOnlyList<PreparedDelivery>> PrepareAsync(ClaimedBatch batch, CancellationToken cancellationToken)
    {
        await LoadPushesAsync(batch.Deliveries.Select(d => d.PushId).Distinct(), cancellationToken);
        var rendered = new Dictionary<string, IReadOnlyList<ReplyMessage>>();
        return batch.Deliveries.Select(d => Prepare(d, rendered)).ToList();
    }

    private PreparedDelivery Prepare(ClaimedDelivery delivery, Dictionary<string, IReadOnlyList<ReplyMessage>> rendered)
    {
        if (!delivery.StillSubscribed)
            return new PreparedDelivery(delivery, [], DeliveryResults.NoLongerSubscribed);
        var messages = Render(delivery, rendered);
        return new PreparedDelivery(delivery, messages, messages.Count == 0 ? DeliveryResults.NothingMatches : null);
    }

    private IReadOnlyList<ReplyMessage> Render(ClaimedDelivery delivery, Dictionary<string, IReadOnlyList<ReplyMessage>> rendered)
    {
        var key = $"{delivery.PushId}|{delivery.Recipient.Language}|{delivery.Recipient.Kind == ChatKind.Channel}|{string.Join(',', delivery.Topics.Order(StringComparer.Ordinal))}";
        if (!rendered.TryGetValue(key, out var messages))
            rendered[key] = messages = digests.For(pushes[delivery.PushId], delivery.Recipient, delivery.Topics);
        return messages;
    }

    private async Task LoadPushesAsync(IEnumerable<int> ids, CancellationToken cancellationToken)
    {
        var missing = ids.Where(id => !pushes.ContainsKey(id)).ToList();
        if (missing.Count == 0)
            return;
        if (pushes.Count > MaxCachedPushes)
            pushes.Clear();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PaperBotDbContext>();
        var loaded = await db.Pushes.AsNoTracking().AsSplitQuery()
            .Include(p => p.Issue).ThenInclude(i => i!.Papers.OrderBy(p => p.Number)).ThenInclude(p => p.Topics)
            .Where(p => missing.Contains(p.Id))
            .ToListAsync(cancellationToken);
        foreach (var push in loaded)
            pushes[push.Id] = push;
    }
}
