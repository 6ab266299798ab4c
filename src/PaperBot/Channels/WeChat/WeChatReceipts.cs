using Microsoft.EntityFrameworkCore;
using PaperBot.Core.Data;

namespace PaperBot.Channels.WeChat;

/// <summary>
/// WeChat retries a message it got no answer to within 5 seconds, three times. The first delivery records a
/// receipt (MsgId, or FromUserName + CreateTime for events) before anything happens, and later stores its answer;
/// a retry finds the receipt and gets that same answer instead of a second effect.
/// </summary>
public sealed class WeChatReceipts(PaperBotDbContext db, InboundReceipts receipts, TimeProvider clock)
{
    public const string Channel = "wechat";

    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);

    /// <summary>True for the first delivery of <paramref name="key"/>; false when it was received before.</summary>
    public Task<bool> TryClaimAsync(string key, CancellationToken cancellationToken) => receipts.TryRecordAsync(Channel, key, cancellationToken);

    /// <summary>Stores the plain reply XML (or <c>success</c>) that every retry of <paramref name="key"/> gets.</summary>
    public Task SaveAnswerAsync(string key, string response, CancellationToken cancellationToken) =>
        db.InboundReceipts.Where(r => r.Channel == Channel && r.MessageKey == key)
            .ExecuteUpdateAsync(r => r.SetProperty(x => x.Response, response), cancellationToken);

    /// <summary>The stored answer, waiting up to <paramref name="timeout"/> while the first delivery is still being answered; null if none by then.</summary>
    public async Task<string?> WaitForAnswerAsync(string key, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = clock.GetUtcNow() + timeout;
        while (true)
        {
            var response = await db.InboundReceipts.AsNoTracking()
                .Where(r => r.Channel == Channel && r.MessageKey == key)
                .Select(r => r.Response)
                .FirstOrDefaultAsync(cancellationToken);
            if (response is not null || clock.GetUtcNow() >= deadline)
                return response;
            await Task.Delay(Poll, clock, cancellationToken);
        }
    }
}
