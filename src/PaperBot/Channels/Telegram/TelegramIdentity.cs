namespace PaperBot.Channels.Telegram;

/// <summary>Who this bot is, from getMe at start-up: "/paper@ThisBot 4" in a group is answered, "@OtherBot" is not.</summary>
public sealed class TelegramIdentity
{
    private volatile string? username;

    public string? Username => username;

    public bool IsKnown => username is not null;

    public void Set(string botUsername) => username = botUsername;
}
