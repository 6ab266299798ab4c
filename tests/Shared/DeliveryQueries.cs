using PaperBot.Core.Data;
using PaperBot.Core.Sending;
using PaperBot.Core.Subscribers;

namespace PaperBot.TestServices;

/// <summary>Deliveries as tests ask about them — of an issue, to a chat — since a delivery holds ids, not navigations.</summary>
public static class DeliveryQueries
{
    public static IQueryable<Delivery> DeliveriesOfIssue(this PaperBotDbContext db, int issueId) =>
        db.Deliveries.Where(d => db.Pushes.Any(p => p.Id == d.PushId && p.IssueId == issueId));

    public static IQueryable<Delivery> To(this IQueryable<Delivery> deliveries, PaperBotDbContext db, string chatId) =>
        deliveries.Where(d => db.Subscribers.Any(s => s.Id == d.SubscriberId && s.ChatId == chatId));

    /// <summary>Each delivery with the chat it goes to.</summary>
    public static IQueryable<DeliveryToChat> WithChats(this IQueryable<Delivery> deliveries, PaperBotDbContext db) =>
        deliveries.Join(db.Subscribers, d => d.SubscriberId, s => s.Id,
            (d, s) => new DeliveryToChat { Delivery = d, ChatId = s.ChatId, SubscriberStatus = s.Status });
}

public sealed class DeliveryToChat
{
    public required Delivery Delivery { get; init; }
    public required string ChatId { get; init; }
    public SubscriberStatus SubscriberStatus { get; init; }
}
