using Microsoft.Extensions.Options;
using PaperBot.Core.Commands;
using PaperBot.WeChat;

namespace PaperBot.Channels.WeChat;

/// <summary>Says at start whether WeChat is on and how to turn it on, and creates the configured menu.</summary>
public sealed class WeChatStartup(IOptions<WeChatOptions> options, IOptions<AdminOptions> admins, TimeProvider clock, ILogger<WeChatStartup> logger, WeChatApiClient? api = null) : BackgroundService
{
    public const string OffLine = "wechat: off; set WeChat__Token (and WeChat__AppId, WeChat__AppSecret, WeChat__EncodingAesKey) to turn it on";

    public const string AdminsInPlainMode =
        "wechat: admin commands from Admins__WeChat are refused in plain mode, whose signature does not cover the message (anyone who saw one signed URL could pose as an admin); "
        + "set WeChat__EncodingAesKey and WeChat__AppId and switch the account to safe mode (安全模式) to use them";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.Enabled)
        {
            logger.LogInformation(OffLine);
            return;
        }

        logger.LogInformation(
            "wechat: on at {Path}; push mode {PushMode}; encrypted messages {Encryption}; API {Api}",
            WeChatWebhook.Path,
            settings.PushMode,
            settings.CanDecrypt ? "required (compatible or safe mode; plaintext bodies are refused)" : "refused (set WeChat__EncodingAesKey and WeChat__AppId for compatible and safe mode)",
            api is null ? "off (set WeChat__AppSecret for the menu and late replies)" : settings.ApiBaseUrl);
        if (!settings.CanDecrypt && admins.Value.WeChat.Count > 0)
            logger.LogWarning(AdminsInPlainMode);

        if (api is null || settings.BuildMenu() is not { } menu)
            return;
        try
        {
            await WeChatRetries.RunAsync(
                () => api.CreateMenuAsync(menu, stoppingToken),
                clock,
                error => logger.LogInformation("wechat: the menu could not be created yet: {Reason}; trying again", WeChatErrors.Describe(error)),
                stoppingToken);
            logger.LogInformation("wechat: menu created: {Buttons}", string.Join(" · ", menu.Buttons.Select(b => b.Name)));
        }
        catch (WeChatException error)
        {
            logger.LogWarning("wechat: unable to create the menu: {Reason}", WeChatErrors.Describe(error));
        }
    }
}
