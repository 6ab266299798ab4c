using System.Globalization;
using PaperBot.Core.Commands;
using PaperBot.Core.Sending;
using PaperBot.Core.Stats;
using PaperBot.Core.Subscribers;
using Telegram.Bot;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;

namespace PaperBot.Channels.Telegram;

/// <summary>
/// Answers one chat: the reply's messages in Telegram HTML, or an edit of the message whose button was pressed. Every
/// call keeps Telegram's limits (<see cref="TelegramPacing"/>); a failed one is translated once by
/// <see cref="TelegramErrors"/> and applied by <see cref="ChatLifecycle"/>, as for pushes. A reply is retried once after
/// a 429 and follows a group that became a supergroup; a reply that may have arrived is not sent again (the reader can
/// ask again; a duplicate answer helps no one).
/// </summary>
public sealed class TelegramReplies(
    ITelegramBotClient bot, TelegramPacing pacing, ChatLifecycle lifecycle, ProgressMessages progress, TimeProvider clock, ILogger<TelegramReplies> logger)
{
    /// <param name="pressed">The message that carried the pressed button, edited by a reply that replaces it.</param>
    /// <param name="topic">The forum topic (message_thread_id) the question was asked in; null for the chat itself.</param>
    /// <returns>
    /// Whether it was sent; when a message could not be, the rest of the reply is not sent. A forum topic that refused it
    /// (closed, or deleted meanwhile) is told apart: the chat itself still takes messages.
    /// </returns>
    public async Task<ReplyOutcome> SendAsync(long chatId, Reply reply, Message? pressed, int? topic, CancellationToken cancellationToken)
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
                var (to, sent, _, topicRefused) = await CallAsync(chat, to => bot.SendMessage(
                    chatId: to,
                    text: part.Html,
                    messageThreadId: topic,
                    parseMode: ParseMode.Html,
                    replyMarkup: part.Keyboard,
                    linkPreviewOptions: part.LinkPreview,
                    cancellationToken: cancellationToken), cancellationToken);
                if (sent is null)
                    return topicRefused ? ReplyOutcome.TopicRefused : ReplyOutcome.NotSent;
                chat = to;
                await TrackAsync(message, chat, sent.MessageId, cancellationToken);
            }
        }

        return ReplyOutcome.Sent;
    }

    /// <summary>A message that reports a push's progress is edited by <see cref="TelegramProgress"/> as sending goes on.</summary>
    private Task TrackAsync(ReplyMessage message, long chat, int messageId, CancellationToken cancellationToken) =>
        message.TracksPush is { } pushId
            ? progress.TrackAsync(pushId, Channel.Telegram, TelegramInbound.Id(chat), messageId.ToString(CultureInfo.InvariantCulture), cancellationToken)
            : Task.CompletedTask;

    /// <returns>False when the message cannot be edited (too old, deleted): the caller sends a new one instead.</returns>
    private async Task<bool> TryEditAsync(long chat, int messageId, TelegramText part, CancellationToken cancellationToken)
    {
        var (_, edited, failure, _) = await CallAsync(chat, to => bot.EditMessageText(
            chatId: to,
            messageId: messageId,
            text: part.Html,
            parseMode: ParseMode.Html,
            replyMarkup: part.Keyboard,
            linkPreviewOptions: part.LinkPreview,
            cancellationToken: cancellationToken), cancellationToken);
        return edited is not null || failure is not SendOutcome.Failed { Reason: var reason } || reason.Contains("message is not modified", StringComparison.OrdinalIgnoreCase);
    }

    /// <returns>The chat it went to (a migrated group's new id) and the message; or what stopped it.</returns>
    private async Task<(long Chat, Message? Message, SendOutcome? Failure, bool TopicRefused)> CallAsync(long chat, Func<long, Task<Message>> call, CancellationToken cancellationToken)
    {
        var retried = false;
        var moved = false;
        while (true)
        {
            var chatId = TelegramInbound.Id(chat);
            SendOutcome outcome;
            try
            {
                return (chat, await pacing.CallAsync(chatId, chat < 0, () => call(chat), cancellationToken), null, false);
            }
            catch (Exception error) when (TelegramErrors.IsTopicGone(error))
            {
                logger.LogInformation("telegram: a topic of chat {ChatId} takes no reply ({Reason})", chat, TelegramErrors.Describe(error));
                return (chat, null, new SendOutcome.Failed(TelegramErrors.Describe(error)), true);
            }
            catch (Exception error) when (TelegramErrors.Classify(error, chat < 0, cancellationToken) is { } classified)
            {
                outcome = classified;
            }

            await lifecycle.ApplyAsync(Channel.Telegram, chatId, outcome, cancellationToken);
            switch (outcome)
            {
                case SendOutcome.RetryAfter retry when !retried:
                    retried = true;
                    if (retry.Scope == RetryScope.Chat)
                        pacing.PauseChat(chatId, isGroup: true, retry.Wait);
                    logger.LogInformation("telegram: rate limited replying to chat {ChatId}; retrying once in {RetryAfter}", chat, retry.Wait);
                    await Task.Delay(retry.Wait, clock, cancellationToken);
                    break;
                case SendOutcome.ChatMoved to when !moved && long.TryParse(to.NewChatId, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var newChat):
                    moved = true;
                    chat = newChat;
                    break;
                case SendOutcome.Failed:
                    logger.LogDebug("telegram: unable to reply in chat {ChatId}: {Outcome}", chat, outcome);
                    return (chat, null, outcome, false);
                default:
                    logger.LogInformation("telegram: unable to reply in chat {ChatId}: {Outcome}", chat, outcome);
                    return (chat, null, outcome, false);
            }
        }
    }
}

/// <summary>What became of a reply.</summary>
public enum ReplyOutcome
{
    Sent,
    NotSent,

    /// <summary>The forum topic it was for refused it (closed, or deleted): nothing of it went out there.</summary>
    TopicRefused,
}
