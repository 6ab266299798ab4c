namespace PaperBot.WeChat;

/// <summary>
/// Where the access token lives between calls. Tencent keeps one valid token per AppId and each
/// new one invalidates the last after a short overlap, so every process of the same account must
/// read the same store, and only one of them may refresh at a time: <see cref="RefreshAsync"/> runs
/// the refresh under the store's lock. The in-memory store fits one process.
/// </summary>
public interface IWeChatAccessTokenStore
{
    Task<CachedAccessToken?> GetAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Runs <paramref name="refresh"/> with the stored token while no other caller of the same store can, and
    /// stores what it returns. <paramref name="refresh"/> may return the token it was given when another
    /// process already refreshed it.
    /// </summary>
    Task<CachedAccessToken> RefreshAsync(Func<CachedAccessToken?, Task<CachedAccessToken>> refresh, CancellationToken cancellationToken);
}
