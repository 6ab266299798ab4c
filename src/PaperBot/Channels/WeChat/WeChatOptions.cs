using System.Text;
using System.Text.RegularExpressions;
using PaperBot.Core.Configuration;
using PaperBot.WeChat;

namespace PaperBot.Channels.WeChat;

/// <summary>How issues reach WeChat subscribers; which one works depends on the Official Account's type.</summary>
public enum WeChatPushMode
{
    /// <summary>Any account, including unverified subscription accounts, which cannot push at all: the issue is offered in the reply to the subscriber's next message.</summary>
    OnNextMessage,

    /// <summary>Customer-service messages (客服消息): to subscribers who wrote within the last 48 hours; the others get it with their next message.</summary>
    CustomerService,

    /// <summary>Mass send by OpenID list (群发): verified accounts; each subscriber receives at most 4 a month from a service account.</summary>
    MassSend,

    /// <summary>
    /// The issue becomes the account's 图文 article: drafted, then mass-sent to every follower (verified accounts) or, where the
    /// account may not mass-send, published and offered to subscribers with their next message.
    /// </summary>
    Article,
}

/// <summary>The <c>WeChat:Article</c> section: what the weekly article carries besides the issue.</summary>
public sealed class WeChatArticleOptions
{
    /// <summary>The author line (作者): at most 16 characters.</summary>
    public string Author { get; set; } = "";

    /// <summary>Text under the last paper, such as "点击关注我 👇 记得标星"; lines break at \n.</summary>
    public string Footer { get; set; } = "";

    /// <summary>A cover image file (PNG or JPEG, 900×383 recommended, under 1 MB); empty = generated for each issue.</summary>
    public string Cover { get; set; } = "";

    /// <summary>The font of the generated cover (a .ttf, .otf or .ttc with Chinese); empty = the system's Noto Sans CJK SC.</summary>
    public string CoverFont { get; set; } = "";
}

/// <summary>One menu button: a <see cref="Key"/> (sent to the bot as if typed), a <see cref="Url"/> to open, or <see cref="SubButtons"/>.</summary>
public sealed class WeChatMenuButtonOptions
{
    public string Name { get; set; } = "";

    public string Key { get; set; } = "";

    public string Url { get; set; } = "";

    public List<WeChatMenuButtonOptions> SubButtons { get; set; } = [];
}

/// <summary>The <c>WeChat</c> section. An empty <see cref="Token"/> turns the channel off.</summary>
public sealed partial class WeChatOptions : IValidatedOptions
{
    public const string Section = "WeChat";
    public const string DefaultApiBaseUrl = "https://api.weixin.qq.com";

    public static readonly TimeSpan MaxReplyBudget = TimeSpan.FromSeconds(4.5);

    /// <summary>The Official Account's AppID (开发者ID); safe mode checks it in every message, and the API needs it.</summary>
    public string AppId { get; set; } = "";

    /// <summary>The AppSecret (开发者密码): the API (menu, customer-service and mass messages) needs it. Never logged.</summary>
    public string AppSecret { get; set; } = "";

    /// <summary>The Token of the server configuration (服务器配置): WeChat signs every request with it.</summary>
    public string Token { get; set; } = "";

    /// <summary>The EncodingAESKey (消息加解密密钥) for compatible and safe mode: 43 characters. Never logged.</summary>
    public string EncodingAesKey { get; set; } = "";

    public string ApiBaseUrl { get; set; } = DefaultApiBaseUrl;

    public WeChatPushMode PushMode { get; set; } = WeChatPushMode.OnNextMessage;

    public WeChatArticleOptions Article { get; set; } = new();

    /// <summary>The custom menu, created at start when the AppSecret is set; empty = the menu is left as it is.</summary>
    public List<WeChatMenuButtonOptions> Menu { get; set; } = [];

    /// <summary>How far a request's timestamp may be from now; older requests are refused as replays.</summary>
    public TimeSpan MaxTimestampSkew { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How long a reply may take before the request is answered "success" and the reply follows through the
    /// customer-service API (WeChat gives up after 5 s). <c>00:00:00</c> sends every reply that way.
    /// </summary>
    public TimeSpan ReplyBudget { get; set; } = TimeSpan.FromSeconds(4);

    public bool Enabled => Token.Length > 0;

    /// <summary>Compatible and safe mode can be read.</summary>
    public bool CanDecrypt => EncodingAesKey.Length > 0;

    /// <summary>The server-side API can be called.</summary>
    public bool HasApi => AppSecret.Length > 0;

    public static bool IsEnabled(IConfiguration configuration) =>
        configuration.GetSection(Section)[nameof(Token)] is { Length: > 0 };

    public static bool HasApiIn(IConfiguration configuration) =>
        IsEnabled(configuration) && configuration.GetSection(Section)[nameof(AppSecret)] is { Length: > 0 };

    public IEnumerable<string> Validate()
    {
        if (!Enabled)
            yield break;

        // No value is echoed: these are credentials, and configuration errors go to the console.
        if (!TokenShape().IsMatch(Token))
            yield return "WeChat:Token must be 3 to 32 letters or digits, as entered in the Official Account's server configuration";
        if (EncodingAesKey.Length > 0 && !IsEncodingAesKey(EncodingAesKey))
            yield return "WeChat:EncodingAesKey must be 43 characters (letters and digits, as generated in the server configuration)";
        if (EncodingAesKey.Length > 0 && AppId.Length == 0)
            yield return "WeChat:AppId is required with WeChat:EncodingAesKey: compatible and safe mode check it in every message";
        if (AppSecret.Length > 0 && AppId.Length == 0)
            yield return "WeChat:AppId is required with WeChat:AppSecret";
        // A space or quote pasted with it would fail only at the first API call (40013), and it names the token's row.
        if (AppId.Length > 0 && !AppIdShape().IsMatch(AppId))
            yield return "WeChat:AppId must be letters and digits, at most 32 (the 开发者ID of 基本配置: wx and 16 more)";
        if (PushMode != WeChatPushMode.OnNextMessage && AppSecret.Length == 0)
            yield return $"WeChat:AppSecret is required with WeChat:PushMode {PushMode}";
        if (!(Uri.TryCreate(ApiBaseUrl, UriKind.Absolute, out var api) && api.Scheme is "http" or "https"))
            yield return $"WeChat:ApiBaseUrl must be an absolute http(s) URL, not '{ApiBaseUrl}'";
        if (MaxTimestampSkew <= TimeSpan.Zero || MaxTimestampSkew > TimeSpan.FromDays(1))
            yield return "WeChat:MaxTimestampSkew must be between 00:00:01 and 1.00:00:00";
        if (ReplyBudget < TimeSpan.Zero || ReplyBudget > MaxReplyBudget)
            yield return "WeChat:ReplyBudget must be between 00:00:00 and 00:00:04.5 (WeChat waits 5 seconds for a reply)";
        foreach (var problem in MenuProblems())
            yield return problem;
        foreach (var problem in ArticleProblems())
            yield return problem;
    }

    private IEnumerable<string> ArticleProblems()
    {
        if (Article.Author.Length > WeChatDraftArticle.MaxAuthorLength)
            yield return $"WeChat:Article:Author is longer than {WeChatDraftArticle.MaxAuthorLength} characters (WeChat's limit)";
        if (Article.Footer.Length > 500)
            yield return "WeChat:Article:Footer is longer than 500 characters";
        if (Article.Cover.Length > 0)
        {
            if (!File.Exists(Article.Cover))
                yield return $"WeChat:Article:Cover: no file at '{Article.Cover}'";
            else if (!Articles.ArticleCover.IsUsableImage(Article.Cover, out var problem))
                yield return $"WeChat:Article:Cover: {problem}";
        }

        if (Article.CoverFont.Length > 0 && !File.Exists(Article.CoverFont))
            yield return $"WeChat:Article:CoverFont: no file at '{Article.CoverFont}'";
    }

    /// <summary>The configured menu; null when none is configured. Call after validation.</summary>
    public WeChatMenu? BuildMenu() =>
        Menu.Count == 0 ? null : new WeChatMenu(Menu.Select(b => BuildButton(b, topLevel: true)).ToList());

    private static WeChatMenuButton BuildButton(WeChatMenuButtonOptions button, bool topLevel) =>
        button switch
        {
            { Key.Length: > 0 } => WeChatMenuButton.Click(button.Name, button.Key),
            { Url.Length: > 0 } => WeChatMenuButton.View(button.Name, button.Url),
            _ when topLevel => WeChatMenuButton.Group(button.Name, button.SubButtons.Select(b => BuildButton(b, topLevel: false)).ToList()),
            _ => throw new InvalidOperationException($"menu button '{button.Name}' has neither a key nor a url"),
        };

    // 自定义菜单: 1 to 3 top-level buttons, each with 1 to 5 sub-buttons or an action; names at most 16 bytes at the
    // top level and 60 below; keys at most 128 bytes, URLs at most 1024.
    private IEnumerable<string> MenuProblems()
    {
        if (Menu.Count > 3)
            yield return "WeChat:Menu holds at most 3 buttons";
        for (var i = 0; i < Menu.Count; i++)
        {
            foreach (var problem in ButtonProblems(Menu[i], $"WeChat:Menu:{i}", maxNameBytes: 16, topLevel: true))
                yield return problem;
        }
    }

    private static IEnumerable<string> ButtonProblems(WeChatMenuButtonOptions button, string key, int maxNameBytes, bool topLevel)
    {
        if (string.IsNullOrWhiteSpace(button.Name))
            yield return $"{key}:Name is required";
        else if (Encoding.UTF8.GetByteCount(button.Name) > maxNameBytes)
            yield return $"{key}:Name '{button.Name}' is longer than {maxNameBytes} bytes (a Chinese character takes 3)";

        var actions = (button.Key.Length > 0 ? 1 : 0) + (button.Url.Length > 0 ? 1 : 0) + (button.SubButtons.Count > 0 ? 1 : 0);
        if (actions != 1)
            yield return topLevel
                ? $"{key} needs exactly one of Key (a command such as 'latest'), Url, or SubButtons"
                : $"{key} needs exactly one of Key (a command such as 'latest') or Url";
        if (Encoding.UTF8.GetByteCount(button.Key) > 128)
            yield return $"{key}:Key is longer than 128 bytes";
        if (button.Url.Length > 0 && !(Uri.TryCreate(button.Url, UriKind.Absolute, out var url) && url.Scheme is "http" or "https" && button.Url.Length <= 1024))
            yield return $"{key}:Url must be an absolute http(s) URL of at most 1024 bytes, not '{button.Url}'";
        if (button.SubButtons.Count > 5)
            yield return $"{key}:SubButtons holds at most 5 buttons";
        for (var i = 0; i < button.SubButtons.Count && topLevel; i++)
        {
            foreach (var problem in ButtonProblems(button.SubButtons[i], $"{key}:SubButtons:{i}", maxNameBytes: 60, topLevel: false))
                yield return problem;
        }
    }

    private static bool IsEncodingAesKey(string value)
    {
        Span<byte> key = stackalloc byte[33];
        return value.Length == 43 && value.All(char.IsAsciiLetterOrDigit)
            && Convert.TryFromBase64String(value + "=", key, out var written) && written == 32;
    }

    [GeneratedRegex("^[A-Za-z0-9]{3,32}$")]
    private static partial Regex TokenShape();

    [GeneratedRegex("^[A-Za-z0-9]{1,32}$")]
    private static partial Regex AppIdShape();
}
