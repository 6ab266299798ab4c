namespace PaperBot.WeChat;

/// <summary>One process's store; the client already lets only one refresh run at a time within the process.</summary>
public sealed class InMemoryAccessTokenStore : IWeChatAccessTokenStore
{
    private volatile CachedAccessToken? _token;

    public Task<CachedAccessToken?> GetAsync(CancellationToken cancellationToken) => Task.FromResult(_token);

    public async Task<CachedAccessToken> RefreshAsync(Func<CachedAccessToken?, Task<CachedAccessToken>> refresh, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(refresh);
        var token = await refresh(_token);
        _token = token;
        return token;
    }
}
