using Microsoft.EntityFrameworkCore;
using PaperBot.Core.Data;
using PaperBot.Core.Subscribers;

namespace PaperBot.Core.Stats;

/// <summary>A chat message that shows a push's progress, and the language of the chat it is in.</summary>
public sealed record ProgressMessage(int PushId, string ChatId, string MessageId, string Language);

/// <summary>Remembers which chat message reports which push, for channels that can edit their messages.</summary>
public sealed class ProgressMessages(PaperBotDbContext db, TimeProvider clock)
{
    /// <summary>How long after a push completes its message gets its last update.</summary>
    public static readonly TimeSpan AfterCompletion = TimeSpan.FromSeconds(15);

    public Task TrackAsync(int pushId, Channel channel, string chatId, string messageId, CancellationToken cancellationToken) =>
        db.Pushes.Where(p => p.Id == pushId).ExecuteUpdateAsync(p => p
            .SetProperty(x => x.ProgressChannel, channel)
            .SetProperty(x => x.ProgressChatId, chatId)
            .SetProperty(x => x.ProgressMessageId, messageId), cancellationToken);

    /// <summary>Messages of pushes still sending, or finished moments ago.</summary>
    public async Task<IReadOnlyList<ProgressMessage>> ActiveAsync(Channel channel, CancellationToken cancellationToken)
    {
        var since = clock.GetUtcNow() - AfterCompletion;
        var tracked = await db.Pushes.AsNoTracking()
            .Where(p => p.ProgressChannel == channel && p.ProgressMessageId != null && p.QueuedAt != null && (p.CompletedAt == null || p.CompletedAt > since))
            .Select(p => new
            {
                p.Id,
                ChatId = p.ProgressChatId!,
                MessageId = p.ProgressMessageId!,
                Language = db.Subscribers.Where(s => s.Channel == channel && s.ChatId == p.ProgressChatId).Select(s => s.Language).FirstOrDefault(),
            })
            .ToListAsync(cancellationToken);
        return tracked.Select(t => new ProgressMessage(t.Id, t.ChatId, t.MessageId, t.Language ?? Languages.Chinese)).ToList();
    }
}
