using Microsoft.Extensions.Options;
using PaperBot.Core.Configuration;
using PaperBot.Core.Subscribers;

namespace PaperBot.Core.Commands;

/// <summary>The <c>Admins</c> section: Telegram user ids and WeChat OpenIDs with admin rights.</summary>
public sealed class AdminOptions : IValidatedOptions
{
    public const string Section = "Admins";

    public List<string> Telegram { get; set; } = [];
    public List<string> WeChat { get; set; } = [];

    public IEnumerable<string> Validate()
    {
        foreach (var (id, index) in Telegram.Select((id, index) => (id, index)))
        {
            if (!long.TryParse(id, out _))
                yield return $"Admins:Telegram:{index} must be a numeric Telegram user id, not '{id}'";
        }

        foreach (var (id, index) in WeChat.Select((id, index) => (id, index)))
        {
            if (string.IsNullOrWhiteSpace(id))
                yield return $"Admins:WeChat:{index} is empty; it must be a WeChat OpenID";
        }
    }
}

/// <summary>Whether a message's sender may run admin commands.</summary>
public enum AdminStanding
{
    None,
    Admin,

    /// <summary>A listed WeChat admin, but the message's body was not signed (plain mode): anyone could have sent it.</summary>
    NotSigned,
}

public sealed class AdminDirectory(IOptions<AdminOptions> options)
{
    public AdminStanding StandingOf(InboundMessage message) => message.Channel switch
    {
        Channel.Telegram => options.Value.Telegram.Contains(message.UserId) ? AdminStanding.Admin : AdminStanding.None,
        Channel.WeChat when options.Value.WeChat.Contains(message.UserId) => message.BodySigned ? AdminStanding.Admin : AdminStanding.NotSigned,
        Channel.Web => message.HasAdminSession ? AdminStanding.Admin : AdminStanding.None,
        _ => AdminStanding.None,
    };

    public static string Actor(InboundMessage message) => $"{message.Channel.ToString().ToLowerInvariant()}:{message.UserId}";
}
