using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Options;
using PaperBot.Core.Commands;
using PaperBot.Core.Sending;
using PaperBot.Core.Subscribers;
using Telegram.Bot;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;

namespace PaperBot.Channels.Telegram;

/// <summary>
/// Pushes (issues, announcements) to one Telegram chat for the sending engine, each part in the chat's turn
/// (<see cref="TelegramPacing"/>). It sends and reports; retrying, the channel's rate and recording what happened to the
/// subscriber are the engine's, from the <see cref="SendOutcome"/>. A forum group's pushes go to the topic it chose
/// (<see cref="Recipient.ThreadId"/>); when Telegram says that topic is deleted or closed, the part goes to the chat's
/// General instead, at once, and the topic is forgotten, so the chat still gets the issue, once.
/// </summary>
public sealed class TelegramSender(
    ITelegramBotClient bot, TelegramPacing pacing, IServiceScopeFactory scopes, IOptions<TelegramOptions> options, ILogger<TelegramSender> logger) : IChannelSender
{
    // The engine hands the same message instances to every recipient with the same language and topics: format once.
    private readonly ConditionalWeakTable<ReplyMessage, IReadOnlyList<TelegramText>> formatted = [];

    public Channel Channel => Channel.Telegram;

    public async Task<SendResult> SendAsync(Recipient recipient, IReadOnlyList<ReplyMessage> messages, int fromPart, CancellationToken cancellationToken)
    {
        var chat = ChatIdOf(recipient.ChatId);
        var isGroup = recipient.Kind != ChatKind.Private;
        List<TelegramText> parts;
        try
        {
            parts = messages.SelectMany(m => formatted.GetValue(m, message => TelegramFormatter.Format(message))).ToList();
        }
        catch (ArgumentException error)
        {
            return new SendResult(new SendOutcome.Failed(error.Message), fromPart);
        }

        var thread = recipient.ThreadId;
        for (var part = fromPart; part < parts.Count; part++)
        {
            var text = parts[part];
            try
            {
                try
                {
                    await SendPartAsync(recipient.ChatId, chat, isGroup, thread, text, cancellationToken);
                }
                catch (Exception error) when (thread is { } gone && TelegramErrors.IsTopicGone(error))
                {
                    // Nothing went out: the topic refused it. General takes this part and the rest.
                    thread = null;
                    logger.LogInformation("telegram: topic {ThreadId} of chat {ChatId} takes no messages ({Reason}); sending to its General",
                        gone, recipient.ChatId, TelegramErrors.Describe(error));
                    await ForgetTopicAsync(recipient.SubscriberId, gone, TelegramErrors.Describe(error));
                    await SendPartAsync(recipient.ChatId, chat, isGroup, null, text, cancellationToken);
                }
            }
            catch (Exception error) when (TelegramErrors.Classify(error, isGroup, cancellationToken) is { } outcome)
            {
                if (outcome is SendOutcome.RetryAfter { Scope: RetryScope.Chat } retry)
                    pacing.PauseChat(recipient.ChatId, isGroup, retry.Wait);
                logger.LogInformation("telegram: unable to send part {Part} of {Parts} to chat {ChatId}: {Outcome}", part + 1, parts.Count, recipient.ChatId, outcome);
                return new SendResult(outcome, part);
            }
        }

        return new SendResult(new SendOutcome.Delivered(), parts.Count);
    }

    private Task<Message> SendPartAsync(string chatId, ChatId chat, bool isGroup, int? thread, TelegramText text, CancellationToken cancellationToken) =>
        pacing.CallAsync(chatId, isGroup, () => bot.SendMessage(
            chatId: chat,
            text: text.Html,
            messageThreadId: thread,
            parseMode: ParseMode.Html,
            replyMarkup: text.Keyboard,
            linkPreviewOptions: text.LinkPreview,
            allowPaidBroadcast: options.Value.AllowPaidBroadcast,
            cancellationToken: cancellationToken), cancellationToken);

    /// <summary>Best effort: a database that is away for a moment costs the next push the same detour through the topic.</summary>
    private async Task ForgetTopicAsync(int subscriberId, int thread, string reason)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<ChatLifecycle>().ThreadGoneAsync(subscriberId, thread, reason, CancellationToken.None);
        }
        catch (Exception error)
        {
            logger.LogWarning("telegram: unable to forget topic {ThreadId} of subscriber {SubscriberId} ({Reason})", thread, subscriberId, error.Message);
        }
    }

    /// <summary>Numeric ids for users, groups and channels; <c>@name</c> for public channels listed by name.</summary>
    public static ChatId ChatIdOf(string chatId) =>
        long.TryParse(chatId, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var id) ? new ChatId(id) : new ChatId(chatId);
}
