using System.Globalization;
using PaperBot.Core.Commands;
using PaperBot.Core.Subscribers;
using PaperBot.Hosting;
using Telegram.Bot;

namespace PaperBot.Channels.Telegram;

/// <summary>
/// A group's administrators as Telegram says (getChatMember: creator or administrator), remembered for a minute per
/// person and chat so a busy group does not ask on every message. When Telegram cannot be asked, the answer is no and it
/// is not remembered.
/// </summary>
public sealed class TelegramGroupAdministrators(ITelegramBotClient bot, TimeProvider clock, ILogger<TelegramGroupAdministrators> logger) : IGroupAdministrators, IDisposable
{
    public static readonly TimeSpan Remembered = TimeSpan.FromSeconds(60);

    private readonly ClockedCache<(string Chat, string User), bool> answers = new(clock, Remembered, capacity: 10_000);

    public Channel Channel => Channel.Telegram;

    public async Task<bool> IsAdministratorAsync(string chatId, string userId, CancellationToken cancellationToken)
    {
        if (answers.TryGet((chatId, userId), out var known))
            return known;
        if (!long.TryParse(chatId, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var chat)
            || !long.TryParse(userId, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var user))
            return false;

        bool administrator;
        try
        {
            administrator = (await bot.GetChatMember(chat, user, cancellationToken)).IsAdmin;
        }
        catch (Exception error) when (TelegramErrors.Classify(error, isGroup: true, cancellationToken) is { } outcome)
        {
            logger.LogWarning("telegram: unable to ask whether user {UserId} administers chat {ChatId} ({Outcome}); its settings stay as they are", userId, chatId, outcome);
            return false;
        }

        answers.Set((chatId, userId), administrator);
        return administrator;
    }

    public void Dispose() => answers.Dispose();
}
