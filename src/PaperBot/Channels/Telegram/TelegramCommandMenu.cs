using System.Globalization;
using PaperBot.Core.Commands;
using PaperBot.Core.Subscribers;
using Telegram.Bot.Types;

namespace PaperBot.Channels.Telegram;

/// <summary>
/// The "/" menu Telegram clients show, from the same command list as /help. Telegram picks the narrowest scope
/// and then the user's language: admins' private chats get a chat scope that adds /publish /broadcast /stats;
/// everyone else the default scope, in Chinese for "zh" clients and in English for the rest.
/// </summary>
public static class TelegramCommandMenu
{
    public sealed record Menu(BotCommandScope Scope, string? LanguageCode, IReadOnlyList<BotCommand> Commands);

    public static IEnumerable<Menu> All(IEnumerable<string> adminIds)
    {
        var scopes = new List<(BotCommandScope Scope, bool Admin)> { (BotCommandScope.Default(), false) };
        scopes.AddRange(adminIds.Select(id => ((BotCommandScope)BotCommandScope.Chat(long.Parse(id, CultureInfo.InvariantCulture)), true)));
        foreach (var (scope, admin) in scopes)
        {
            yield return new Menu(scope, Languages.Chinese, Commands(Phrases.For(Languages.Chinese), admin));
            yield return new Menu(scope, Languages.English, Commands(Phrases.For(Languages.English), admin));
            yield return new Menu(scope, null, Commands(Phrases.For(Languages.English), admin));
        }
    }

    public static IReadOnlyList<BotCommand> Commands(Phrases say, bool admin) =>
        say.UserCommands.Concat(admin ? say.AdminCommands : [])
            .Select(c => new BotCommand { Command = c.Command.TrimStart('/').Split(' ')[0], Description = c.Description })
            .ToList();
}
