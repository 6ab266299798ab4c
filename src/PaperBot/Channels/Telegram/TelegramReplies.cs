using System.Globalization;
using PaperBot.Core.Commands;
using PaperBot.Core.Stats;
using PaperBot.Core.Subscribers;
using Telegram.Bot;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;

namespace PaperBot.Channels.Telegram;

/// <summary>
/// Answers one chat: the reply's messages in Telegram HTML, or an edit of the message whose button was pressed.
/// Unlike pushes, a reply is retried once after a 429, follows a group that became a supergroup, and a 403
/// marks the chat blocked on the spot.
/// </summary>
public sealed class TelegramReplies(
    ITelegramBotClient bot, TelegramPacing pacing, TelegramChats chats, ProgressMessages progress, TimeProvider clock, ILogger<TelegramReplies> logger)
{
    /// <param name="pressed">The message that carried the pressed button, edited by a reply that replaces it.</param>
    public async Task SendAsync(long chatId, Reply reply, Message? pressed, CancellationToken cancellationToken)
    {
        var chat = chatId;
        foreach (var message in reply.Messages)
        {
            var parts = TelegramFormatter.Format(message);
            if (message.ReplacesOriginal && pressed is not null && parts is [var only] && await TryEditAsync(chat, pressed.MessageId, only, cancellationToken))
            {
                await TrackAsync(message, chat, pressed.MessageId, cancellationToken);
                continue;
            }

            foreach (var part in parts)
            {
                var delivered = await CallAsync(chat, to => bot.SendMessage(
                    chatId: to,
                    text: part.Html,
                    parseMode: ParseMode.Html,
                    replyMarkup: part.Keyboard,
                    linkPreviewOptions: part.LinkPreview,
                    cancellationToken: cancellationToken), cancellationToken);
                if (delivered is not var (to, sent))
                    return;
                chat = to;
                await TrackAsync(message, chat, sent.MessageId, cancellationToken);
            }
        }
    }

    /// <summary>A message that reports a push's progress is edited by <see cref="TelegramProgress"/> as sending goes on.</summary>
    private Task TrackAsync(ReplyMessage message, long chat, int messageId, CancellationToken cancellationToken) =>
        message.TracksPush is { } pushId
            ? progress.TrackAsync(pushId, Channel.Telegram, TelegramInbound.Id(chat), messageId.ToString(CultureInfo.InvariantCulture), cancellationToken)
            : Task.CompletedTask;

    /// <returns>False when the message cannot be edited (too old, deleted): the caller sends a new one instead.</returns>
    private async Task<bool> TryEditAsync(long chat, int messageId, TelegramText part, CancellationToken cancellationToken)
    {
        try
        {
            return await CallAsync(chat, to => bot.EditMessageText(
                chatId: to,
                messageId: messageId,
                text: part.Html,
                parseMode: ParseMode.Html,
                replyMarkup: part.Keyboard,
                linkPreviewOptions: part.LinkPreview,
                cancellationToken: cancellationToken), cancellationToken) is not null;
        }
        catch (ApiRequestException error) when (error.ErrorCode == 400 && error.Message.Contains("message is not modified", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }
        catch (ApiRequestException error) when (error.ErrorCode == 400)
        {
            logger.LogDebug("telegram: unable to edit message {MessageId} in chat {ChatId} ({Reason}); sending a new one", messageId, chat, TelegramErrors.Describe(error));
            return false;
        }
    }

    /// <returns>The chat it went to (a migrated group's new id) and the message, or null when the chat has blocked the bot.</returns>
    private async Task<(long Chat, Message Message)?> CallAsync(long chat, Func<long, Task<Message>> call, CancellationToken cancellationToken)
    {
        var retried = false;
        var moved = false;
        while (true)
        {
            try
            {
                await pacing.WaitTurnAsync(TelegramInbound.Id(chat), chat < 0, cancellationToken);
                return (chat, await call(chat));
            }
            catch (ApiRequestException error) when (error.ErrorCode == 429 && !retried)
            {
                retried = true;
                var wait = TelegramErrors.RetryAfter(error);
                logger.LogInformation("telegram: rate limited replying to chat {ChatId}; retrying once in {RetryAfter}", chat, wait);
                await Task.Delay(wait, clock, cancellationToken);
            }
            catch (ApiRequestException error) when (TelegramErrors.IsBlocked(error))
            {
                await chats.MarkBlockedAsync(TelegramInbound.Id(chat), TelegramErrors.Describe(error), cancellationToken);
                return null;
            }
            catch (ApiRequestException error) when (error.Parameters?.MigrateToChatId is { } to && !moved)
            {
                moved = true;
                await chats.MoveAsync(TelegramInbound.Id(chat), TelegramInbound.Id(to), cancellationToken);
                chat = to;
            }
        }
    }
}
