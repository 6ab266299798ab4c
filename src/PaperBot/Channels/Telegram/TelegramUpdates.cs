using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PaperBot.Core.Commands;
using PaperBot.Core.Data;
using PaperBot.Core.Subscribers;
using Telegram.Bot;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;

namespace PaperBot.Channels.Telegram;

/// <summary>
/// Handles one update from polling or the webhook, each in its own DI scope: first record its update_id
/// (a redelivered update stops there), then act on it. A failing update is logged and skipped.
/// </summary>
public sealed class TelegramUpdates(
    IServiceScopeFactory scopes, TelegramIdentity identity, IOptions<TelegramOptions> options, TimeProvider clock, ILogger<TelegramUpdates> logger)
{
    public const string ReceiptChannel = "telegram";

    /// <summary>The edge for one update: whatever goes wrong is logged and the next update is served.</summary>
    public async Task HandleSafelyAsync(Update update, CancellationToken cancellationToken)
    {
        try
        {
            await HandleAsync(update, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (RequestException error)
        {
            logger.LogWarning("telegram: unable to handle update {UpdateId}: {Reason}", update.Id, TelegramErrors.Describe(error));
        }
        catch (Exception error)
        {
            logger.LogError(error, "telegram: unable to handle update {UpdateId}", update.Id);
        }
    }

    public async Task HandleAsync(Update update, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var services = scope.ServiceProvider;
        if (!await FirstDeliveryAsync(services.GetRequiredService<PaperBotDbContext>(), update.Id, cancellationToken))
        {
            logger.LogDebug("telegram: update {UpdateId} was already handled", update.Id);
            return;
        }

        switch (update)
        {
            case { Message: { } message }:
                await OnMessageAsync(services, message, cancellationToken);
                break;
            case { CallbackQuery: { } query }:
                await OnButtonAsync(services, query, cancellationToken);
                break;
            case { MyChatMember: { } member }:
                await OnMembershipAsync(services, member, cancellationToken);
                break;
        }
    }

    /// <summary>
    /// Inserts the receipt before acting: a second delivery of the same update, after a restart or on another
    /// instance, hits the primary key and is dropped. Update ids count per bot, so the key names the bot too.
    /// </summary>
    private async Task<bool> FirstDeliveryAsync(PaperBotDbContext db, int updateId, CancellationToken cancellationToken)
    {
        var key = $"{options.Value.BotToken.Split(':')[0]}:{updateId}";
        db.InboundReceipts.Add(new InboundReceipt { Channel = ReceiptChannel, MessageKey = key, ReceivedAt = clock.GetUtcNow() });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear();
            if (await db.InboundReceipts.AnyAsync(r => r.Channel == ReceiptChannel && r.MessageKey == key, cancellationToken))
                return false;
            throw;
        }
    }

    private async Task OnMessageAsync(IServiceProvider services, Message message, CancellationToken cancellationToken)
    {
        var chats = services.GetRequiredService<TelegramChats>();
        if (message.MigrateToChatId is { } newChat)
        {
            await chats.MoveAsync(TelegramInbound.Id(message.Chat.Id), TelegramInbound.Id(newChat), cancellationToken);
            return;
        }

        var replies = services.GetRequiredService<TelegramReplies>();
        if (message.Text is null)
        {
            // Stickers, photos, voice: a hint in a private chat; in a group they are other people's conversation.
            if (message.Chat.Type == ChatType.Private)
                await replies.SendAsync(message.Chat.Id, Reply.Text((await PhrasesForAsync(services, message, cancellationToken)).TextOnly), null, cancellationToken);
            return;
        }

        var reply = await services.GetRequiredService<CommandEngine>().HandleAsync(TelegramInbound.FromText(message, identity.Username), cancellationToken);
        await replies.SendAsync(message.Chat.Id, reply, null, cancellationToken);
    }

    private async Task OnButtonAsync(IServiceProvider services, CallbackQuery query, CancellationToken cancellationToken)
    {
        // Answered first and always: the client shows a spinner on the button until it is.
        try
        {
            await services.GetRequiredService<ITelegramBotClient>().AnswerCallbackQuery(query.Id, cancellationToken: cancellationToken);
        }
        catch (RequestException error)
        {
            logger.LogDebug("telegram: unable to answer callback query {QueryId}: {Reason}", query.Id, TelegramErrors.Describe(error));
        }

        if (query is not { Message: { } message, Data: { } })
            return;
        var reply = await services.GetRequiredService<CommandEngine>().HandleAsync(TelegramInbound.FromButton(query, message, identity.Username), cancellationToken);
        await services.GetRequiredService<TelegramReplies>().SendAsync(message.Chat.Id, reply, message, cancellationToken);
    }

    private static async Task OnMembershipAsync(IServiceProvider services, ChatMemberUpdated member, CancellationToken cancellationToken)
    {
        if (member.NewChatMember.Status is ChatMemberStatus.Kicked or ChatMemberStatus.Left)
        {
            await services.GetRequiredService<TelegramChats>()
                .MarkBlockedAsync(TelegramInbound.Id(member.Chat.Id), $"my_chat_member {member.NewChatMember.Status.ToString().ToLowerInvariant()}", cancellationToken);
        }
    }

    private static async Task<Phrases> PhrasesForAsync(IServiceProvider services, Message message, CancellationToken cancellationToken)
    {
        var subscriber = await services.GetRequiredService<SubscriberDirectory>().FindAsync(Channel.Telegram, TelegramInbound.Id(message.Chat.Id), cancellationToken);
        return Phrases.For(subscriber is { LanguageChosen: true } ? subscriber.Language : Languages.FromClient(message.From?.LanguageCode));
    }
}
