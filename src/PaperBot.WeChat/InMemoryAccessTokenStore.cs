namespace PaperBot.WeChat;

public sealed class InMemoryAccessTokenStore : IWeChatAccessTokenStore
{
    private volatile CachedAccessToken? _token;

    public Task<CachedAccessToken?> GetAsync(CancellationToken cancellationToken) => Task.FromResult(_token);

    public Task SetAsync(CachedAccessToken token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        _token = token;
        return Task.CompletedTask;
    }
}
