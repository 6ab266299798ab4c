namespace PaperBot.WeChat;

/// <summary>
/// Where the access token lives between calls. Tencent keeps one valid token per AppId and each
/// new one invalidates the last after a short overlap, so every process of the same account must
/// read the same store; the in-memory store fits one process.
/// </summary>
public interface IWeChatAccessTokenStore
{
    Task<CachedAccessToken?> GetAsync(CancellationToken cancellationToken);

    Task SetAsync(CachedAccessToken token, CancellationToken cancellationToken);
}
