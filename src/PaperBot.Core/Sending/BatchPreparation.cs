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
/// Each batch reads its pushes afresh: an editor's topic correction, or the WeChat article's address, stored while a push
/// runs, is in every message prepared after it, on every instance, not only after a restart.
/// </summary>
public sealed class BatchPreparation(IServiceScopeFactory scopes, DigestMessages digests)
{
    public async Task<IReadOnlyList<PreparedDelivery>> PrepareAsync(ClaimedBatch batch, CancellationToken cancellationToken)
    {
        var pushes = await LoadPushesAsync(batch.Deliveries.Select(d => d.PushId).Distinct().ToList(), cancellationToken);
        var rendered = new Dictionary<string, IReadOnlyList<ReplyMessage>>();
        return batch.Deliveries.Select(d => Prepare(d, pushes, rendered)).ToList();
    }

    private PreparedDelivery Prepare(ClaimedDelivery delivery, Dictionary<int, Push> pushes, Dictionary<string, IReadOnlyList<ReplyMessage>> rendered)
    {
        if (!delivery.StillSubscribed)
            return new PreparedDelivery(delivery, [], DeliveryResults.NoLongerSubscribed);
        var messages = Render(delivery, pushes, rendered);
        return new PreparedDelivery(delivery, messages, messages.Count == 0 ? DeliveryResults.NothingMatches : null);
    }

    private IReadOnlyList<ReplyMessage> Render(ClaimedDelivery delivery, Dictionary<int, Push> pushes, Dictionary<string, IReadOnlyList<ReplyMessage>> rendered)
    {
        var key = $"{delivery.PushId}|{delivery.Recipient.Language}|{delivery.Recipient.Kind == ChatKind.Channel}|{string.Join(',', delivery.Topics.Order(StringComparer.Ordinal))}";
        if (!rendered.TryGetValue(key, out var messages))
            rendered[key] = messages = digests.For(pushes[delivery.PushId], delivery.Recipient, delivery.Topics);
        return messages;
    }

    private async Task<Dictionary<int, Push>> LoadPushesAsync(List<int> ids, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PaperBotDbContext>();
        return await db.Pushes.AsNoTracking().AsSplitQuery()
            .Include(p => p.Issue).ThenInclude(i => i!.Papers.OrderBy(p => p.Number)).ThenInclude(p => p.Topics)
            .Where(p => ids.Contains(p.Id))
            .ToDictionaryAsync(p => p.Id, cancellationToken);
    }
}
