using Microsoft.Extensions.Options;
using PaperBot.Core.Commands;
using PaperBot.Core.Data;
using PaperBot.Core.Sending;
using PaperBot.Core.Subscribers;
using Telegram.Bot;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;

namespace PaperBot.Channels.Telegram;

/// <summary>
/// Handles one update, within one DI scope: first record its update_id (a redelivered update stops there), then act on
/// it — a message or a button goes through the command engine and its reply back to the chat; membership changes and
/// group migrations go to <see cref="ChatLifecycle"/>.
/// </summary>
public sealed class TelegramUpdateHandler(
    InboundReceipts receipts,
    CommandEngine engine,
    SubscriberDirectory subscribers,
    ChatLifecycle lifecycle,
    TelegramReplies replies,
    ITelegramBotClient bot,
    TelegramIdentity identity,
    IOptions<TelegramOptions> options,
    ILogger<TelegramUpdateHandler> logger)
{
    public const string ReceiptChannel = "telegram";

    public async Task HandleAsync(Update update, CancellationToken cancellationToken)
    {
        if (!await FirstDeliveryAsync(update.Id, cancellationToken))
        {
            logger.LogDebug("telegram: update {UpdateId} was already handled", update.Id);
            return;
        }

        switch (update)
        {
            case { Message: { } message }:
                await OnMessageAsync(message, cancellationToken);
                break;
            case { CallbackQuery: { } query }:
                await OnButtonAsync(query, cancellationToken);
                break;
            case { MyChatMember: { } member }:
                await OnMembershipAsync(member, cancellationToken);
                break;
        }
    }

    /// <summary>The receipt before acting; update ids count per bot, so the key names the bot too.</summary>
    private Task<bool> FirstDeliveryAsync(int updateId, CancellationToken cancellationToken) =>
        receipts.TryRecordAsync(ReceiptChannel, $"{options.Value.BotToken.Split(':')[0]}:{updateId}", cancellationToken);

    private async Task OnMessageAsync(Message message, CancellationToken cancellationToken)
    {
        if (message.MigrateToChatId is { } newChat)
        {
            await lifecycle.MoveAsync(Channel.Telegram, TelegramInbound.Id(message.Chat.Id), TelegramInbound.Id(newChat), cancellationToken);
            return;
        }

        if (message.Text is null)
        {
            // Stickers, photos, voice: a hint in a private chat; in a group they are other people's conversation. A service
            // message (the reader pinned a message, set a background or an auto-delete timer) is nobody asking anything.
            if (message.Chat.Type == ChatType.Private && !message.IsServiceMessage)
                await replies.SendAsync(message.Chat.Id, Reply.Text((await PhrasesForAsync(message, cancellationToken)).TextOnly), null, null, cancellationToken);
            return;
        }

        var reply = await engine.HandleAsync(TelegramInbound.FromText(message, identity.Username), cancellationToken);
        await AnswerAsync(message, message.From, reply, null, cancellationToken);
    }

    private async Task OnButtonAsync(CallbackQuery query, CancellationToken cancellationToken)
    {
        // Answered first and always: the client shows a spinner on the button until it is.
        try
        {
            await bot.AnswerCallbackQuery(query.Id, cancellationToken: cancellationToken);
        }
        catch (RequestException error)
        {
            logger.LogDebug("telegram: unable to answer callback query {QueryId}: {Reason}", query.Id, TelegramErrors.Describe(error));
        }

        if (query is not { Message: { } message, Data: { } })
            return;
        // The bot's channel posts carry links only, so a press there carries data a modified client made up (s:off would
        // unsubscribe the channel), and whatever it answered would be posted to every reader of the channel.
        if (message.Chat.Type == ChatType.Channel)
        {
            logger.LogInformation("telegram: ignored a button press by user {UserId} on a post in channel {ChatId}", query.From.Id, message.Chat.Id);
            return;
        }

        var reply = await engine.HandleAsync(TelegramInbound.FromButton(query, message, identity.Username), cancellationToken);
        await AnswerAsync(message, query.From, reply, message, cancellationToken);
    }

    /// <summary>
    /// In the chat it was asked in, in its forum topic if it has them; a private reply (an admin's answer asked for in a
    /// group) in the sender's own chat instead, and if the bot may not write there yet, a line in the group that says how
    /// to let it.
    /// </summary>
    private async Task AnswerAsync(Message asked, User? sender, Reply reply, Message? pressed, CancellationToken cancellationToken)
    {
        // Without it Telegram puts the answer in the forum's General topic, which may be closed: then it goes nowhere.
        var topic = TelegramInbound.TopicOf(asked);
        if (!reply.Private || asked.Chat.Type == ChatType.Private || sender is null)
        {
            await AnswerInChatAsync(asked, reply, pressed, topic, cancellationToken);
            return;
        }

        if (await replies.SendAsync(sender.Id, reply, null, null, cancellationToken) != ReplyOutcome.Sent)
            await AnswerInChatAsync(asked, Reply.Text((await PhrasesForAsync(asked, cancellationToken)).AdminAnswersPrivately(identity.Username)), null, topic, cancellationToken);
    }

    /// <summary>
    /// In the topic it was asked in; if that topic refuses the bot (closed: an administrator may still write there), in
    /// General, saying so. Where the chat's pushes went to that topic they go to General from now on, as the next push
    /// would find out, and the answer says so instead of naming the topic.
    /// </summary>
    private async Task AnswerInChatAsync(Message asked, Reply reply, Message? pressed, int? topic, CancellationToken cancellationToken)
    {
        if (await replies.SendAsync(asked.Chat.Id, reply, pressed, topic, cancellationToken) != ReplyOutcome.TopicRefused || topic is not { } refused)
            return;
        var pushesToo = await lifecycle.TopicRefusedReplyAsync(Channel.Telegram, TelegramInbound.Id(asked.Chat.Id), refused, "the topic refused a reply", cancellationToken);
        var say = await PhrasesForAsync(asked, cancellationToken);
        var messages = reply.Messages
            .Select(m => pushesToo ? m with { Lines = [.. m.Lines.Where(l => l.ToPlainText() != say.PushesToThisTopic)] } : m)
            .Select((m, i) => i == 0 ? m with { Lines = [.. ReplyMessage.Text(say.AnswerInGeneral(pushesToo)).Lines, TextLine.Blank, .. m.Lines] } : m);
        await replies.SendAsync(asked.Chat.Id, new Reply([.. messages]), null, null, cancellationToken);
    }

    private async Task OnMembershipAsync(ChatMemberUpdated member, CancellationToken cancellationToken)
    {
        if (member.NewChatMember.Status is ChatMemberStatus.Kicked or ChatMemberStatus.Left)
        {
            var gone = new SendOutcome.ChatGone($"my_chat_member {member.NewChatMember.Status.ToString().ToLowerInvariant()}");
            await lifecycle.ApplyAsync(Channel.Telegram, TelegramInbound.Id(member.Chat.Id), gone, cancellationToken);
        }
        else if (member.NewChatMember.Status is ChatMemberStatus.Member or ChatMemberStatus.Administrator)
        {
            await lifecycle.ReturnedAsync(Channel.Telegram, TelegramInbound.Id(member.Chat.Id), cancellationToken);
        }
    }

    private async Task<Phrases> PhrasesForAsync(Message message, CancellationToken cancellationToken)
    {
        var subscriber = await subscribers.FindAsync(Channel.Telegram, TelegramInbound.Id(message.Chat.Id), cancellationToken);
        return Phrases.For(subscriber is { LanguageChosen: true } ? subscriber.Language : Languages.FromClient(message.From?.LanguageCode));
    }
}
