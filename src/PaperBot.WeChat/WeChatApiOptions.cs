namespace PaperBot.WeChat;

public sealed class WeChatApiOptions
{
    public Uri BaseUrl { get; init; } = new("https://api.weixin.qq.com");

    public string AppId { get; init; } = "";

    public string AppSecret { get; init; } = "";

    /// <summary>A cached token is replaced this long before Tencent's expiry.</summary>
    public TimeSpan AccessTokenRefreshMargin { get; init; } = TimeSpan.FromMinutes(5);
}
