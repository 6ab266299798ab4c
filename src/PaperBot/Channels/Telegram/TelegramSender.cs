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
/// (<see cref="Recipient.ThreadId"/>).
/// </summary>
public sealed class TelegramSender(ITelegramBotClient bot, TelegramPacing pacing, IOptions<TelegramOptions> options, ILogger<TelegramSender> logger) : IChannelSender
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
                await SendPartAsync(recipient.ChatId, chat, isGroup, thread, text, cancellationToken);
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

    /// <summary>Numeric ids for users, groups and channels; <c>@name</c> for public channels listed by name.</summary>
    public static ChatId ChatIdOf(string chatId) =>
        long.TryParse(chatId, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var id) ? new ChatId(id) : new ChatId(chatId);
}
