using Microsoft.Extensions.Time.Testing;

namespace PaperBot.WeChat.Tests;

/// <summary>A real <see cref="WeChatApiClient"/> over a real HttpClient, pointed at a fresh fake API.</summary>
internal sealed class ApiHarness : IAsyncDisposable
{
    public const string AppId = "wx1234567890abcdef";
    public const string AppSecret = "s3cr3t-app-secret-0123456789abcd";

    private ApiHarness(FakeWeChatApi api, TimeSpan? httpTimeout, Uri? baseUrl)
    {
        Api = api;
        Http = new HttpClient { Timeout = httpTimeout ?? TimeSpan.FromSeconds(30) };
        Client = CreateClient(baseUrl ?? api.BaseUrl);
    }

    public FakeWeChatApi Api { get; }

    public HttpClient Http { get; }

    public InMemoryAccessTokenStore Store { get; } = new();

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2025, 3, 3, 8, 0, 0, TimeSpan.Zero));

    public CapturingLogger<WeChatApiClient> Logger { get; } = new();

    public WeChatApiClient Client { get; }

    public static async Task<ApiHarness> StartAsync(TimeSpan? httpTimeout = null, string basePath = "")
    {
        var api = await FakeWeChatApi.StartAsync();
        return new ApiHarness(api, httpTimeout, basePath.Length == 0 ? null : new Uri(api.BaseUrl, basePath));
    }

    /// <summary>Another client instance of the same account, sharing this one's token store.</summary>
    public WeChatApiClient CreateClient(Uri baseUrl) => new(
        Http,
        new WeChatApiOptions { BaseUrl = baseUrl, AppId = AppId, AppSecret = AppSecret },
        Store,
        Time,
        Logger);

    public Task SeedTokenAsync(string value, TimeSpan validFor) =>
        Store.RefreshAsync(_ => Task.FromResult(new CachedAccessToken(value, Time.GetUtcNow() + validFor)), CancellationToken.None);

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Api.DisposeAsync();
    }
}
