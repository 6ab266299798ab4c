using PaperBot.Core.Subscribers;

namespace PaperBot.Core.Commands;

/// <summary>
/// Who administers a group chat, as the chat's own platform says (Telegram: getChatMember). A group's settings — its
/// subscription, topics and language — are the group's, so only its administrators change them.
/// </summary>
public interface IGroupAdministrators
{
    Channel Channel { get; }

    Task<bool> IsAdministratorAsync(string chatId, string userId, CancellationToken cancellationToken);
}
