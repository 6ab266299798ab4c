// Server-side API calls: access token (获取 Access token), customer-service messages (客服消息),
// mass send by OpenID list (群发), custom menu (自定义菜单). Every call but the token request
// carries ?access_token=…, and the token request carries the AppSecret, so a URL is never logged
// or put into an exception: only its path is, and errmsg text is scrubbed of both credentials.
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace PaperBot.WeChat;

public sealed class WeChatApiClient
{
    public const int MinMassSendRecipients = 2;
    public const int MaxMassSendRecipients = 10_000;

    private const string TokenPath = "/cgi-bin/token";
    private const string CustomSendPath = "/cgi-bin/message/custom/send";
    private const string MassSendPath = "/cgi-bin/message/mass/send";
    private const string MenuCreatePath = "/cgi-bin/menu/create";
    private const string Redacted = "***";

    private readonly HttpClient _http;
    private readonly WeChatApiOptions _options;
    private readonly IWeChatAccessTokenStore _tokenStore;
    private readonly TimeProvider _time;
    private readonly ILogger<WeChatApiClient> _logger;
    private readonly string _baseUrl;
    private readonly Lock _refreshGate = new();
    private Task<CachedAccessToken>? _refreshInFlight;

    public WeChatApiClient(
        HttpClient http,
        WeChatApiOptions options,
        IWeChatAccessTokenStore tokenStore,
        TimeProvider time,
        ILogger<WeChatApiClient> logger)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(tokenStore);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        if (!options.BaseUrl.IsAbsoluteUri)
        {
            throw new ArgumentException("WeChatApiOptions.BaseUrl must be an absolute URL.", nameof(options));
        }

        if (string.IsNullOrWhiteSpace(options.AppId) || string.IsNullOrWhiteSpace(options.AppSecret))
        {
            throw new ArgumentException("WeChatApiOptions.AppId and AppSecret are required.", nameof(options));
        }

        _http = http;
        _options = options;
        _tokenStore = tokenStore;
        _time = time;
        _logger = logger;
        _baseUrl = options.BaseUrl.AbsoluteUri.TrimEnd('/');
    }

    /// <summary>
    /// The cached token while it has more than the refresh margin left; otherwise a new one,
    /// fetched once however many callers ask at the same time.
    /// </summary>
    public async Task<CachedAccessToken> GetAccessTokenAsync(CancellationToken cancellationToken = default)
    {
        var cached = await _tokenStore.GetAsync(cancellationToken);
        return IsFresh(cached) ? cached : await RefreshAsync(cached?.Value, cancellationToken);
    }

    /// <summary>A customer-service text message; allowed within 48 hours of the user's last interaction.</summary>
    public async Task SendCustomTextAsync(string openId, string content, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(openId);
        ArgumentNullException.ThrowIfNull(content);
        var body = JsonSerializer.SerializeToUtf8Bytes(
            new CustomTextRequest(openId, new TextBody(content)), WeChatJsonContext.Default.CustomTextRequest);
        using var response = await PostAsync(CustomSendPath, body, cancellationToken);
    }

    /// <summary>A customer-service news message; Tencent allows one article per message.</summary>
    public async Task SendCustomNewsAsync(string openId, WeChatNewsArticle article, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(openId);
        ArgumentNullException.ThrowIfNull(article);
        var request = new CustomNewsRequest(
            openId, new NewsBody([new NewsArticleBody(article.Title, article.Description, article.Url, article.PicUrl)]));
        var body = JsonSerializer.SerializeToUtf8Bytes(request, WeChatJsonContext.Default.CustomNewsRequest);
        using var response = await PostAsync(CustomSendPath, body, cancellationToken);
    }

    /// <summary>
    /// Mass-sends a text message to <see cref="MinMassSendRecipients"/> to
    /// <see cref="MaxMassSendRecipients"/> OpenIDs (Tencent's bounds for one call). Tencent only
    /// queues the job; the result counts arrive later as a MASSSENDJOBFINISH event. A
    /// <see cref="WeChatTransportException"/> leaves it unknown whether the job was queued: sent again with the same
    /// <paramref name="clientMsgId"/> (at most 64 characters), Tencent refuses the repeat with errcode 45065.
    /// </summary>
    public async Task<WeChatMassSendResult> MassSendTextAsync(
        IReadOnlyCollection<string> openIds, string content, string? clientMsgId = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(openIds);
        ArgumentNullException.ThrowIfNull(content);
        if (openIds.Count is < MinMassSendRecipients or > MaxMassSendRecipients)
        {
            throw new ArgumentOutOfRangeException(
                nameof(openIds),
                openIds.Count,
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"A mass send by OpenID list takes {MinMassSendRecipients} to {MaxMassSendRecipients} OpenIDs."));
        }

        if (openIds.Any(string.IsNullOrEmpty))
        {
            throw new ArgumentException("OpenIDs cannot be empty.", nameof(openIds));
        }

        var body = JsonSerializer.SerializeToUtf8Bytes(
            new MassSendTextRequest(openIds.ToArray(), new TextBody(content), clientMsgId), WeChatJsonContext.Default.MassSendTextRequest);
        using var response = await PostAsync(MassSendPath, body, cancellationToken);
        var result = response.RootElement.Deserialize(WeChatJsonContext.Default.MassSendResponse)
            ?? throw new WeChatTransportException(MassSendPath, "the response carries no msg_id", isRetryable: false);
        return new WeChatMassSendResult(result.MsgId, result.MsgDataId);
    }

    /// <summary>Replaces the account's custom menu.</summary>
    public async Task CreateMenuAsync(WeChatMenu menu, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(menu);
        var request = new MenuCreateRequest(menu.Buttons.Select(ToBody).ToArray());
        var body = JsonSerializer.SerializeToUtf8Bytes(request, WeChatJsonContext.Default.MenuCreateRequest);
        using var response = await PostAsync(MenuCreatePath, body, cancellationToken);
    }

    private static MenuButtonBody ToBody(WeChatMenuButton button) => button.Type switch
    {
        WeChatMenuButtonType.Click => new MenuButtonBody("click", button.Name, button.Key, Url: null, SubButton: null),
        WeChatMenuButtonType.View => new MenuButtonBody("view", button.Name, Key: null, button.Url, SubButton: null),
        _ => new MenuButtonBody(Type: null, button.Name, Key: null, Url: null, button.SubButtons.Select(ToBody).ToArray()),
    };

    private async Task<JsonDocument> PostAsync(string path, byte[] body, CancellationToken cancellationToken)
    {
        var token = await GetAccessTokenAsync(cancellationToken);
        try
        {
            return await SendAsync(HttpMethod.Post, path, AccessTokenQuery(token), body, token.Value, cancellationToken);
        }
        catch (WeChatApiException e) when (e.Kind == WeChatErrorKind.TokenInvalid)
        {
            _logger.LogWarning(
                "wechat: {Path} rejected the access token with errcode {ErrorCode}; refreshing it and retrying once",
                path,
                e.ErrorCode);
            var refreshed = await RefreshAsync(token.Value, cancellationToken);
            return await SendAsync(HttpMethod.Post, path, AccessTokenQuery(refreshed), body, refreshed.Value, cancellationToken);
        }
    }

    private Task<CachedAccessToken> RefreshAsync(string? rejectedToken, CancellationToken cancellationToken)
    {
        Task<CachedAccessToken> refresh;
        lock (_refreshGate)
        {
            if (_refreshInFlight is null || _refreshInFlight.IsCompleted)
            {
                _refreshInFlight = FetchAccessTokenAsync(rejectedToken);
            }

            refresh = _refreshInFlight;
        }

        return refresh.WaitAsync(cancellationToken);
    }

    // Shared by every caller waiting on it, so no single caller's cancellation stops it;
    // HttpClient.Timeout bounds it.
    private Task<CachedAccessToken> FetchAccessTokenAsync(string? rejectedToken) =>
        _tokenStore.RefreshAsync(async current =>
        {
            // Another caller, or another process sharing the store, may have refreshed it meanwhile.
            if (IsFresh(current) && current.Value != rejectedToken)
            {
                return current;
            }

            _logger.LogInformation("wechat: requesting a new access token");
            var query = "grant_type=client_credential&appid=" + Uri.EscapeDataString(_options.AppId)
                + "&secret=" + Uri.EscapeDataString(_options.AppSecret);
            using var response = await SendAsync(HttpMethod.Get, TokenPath, query, body: null, accessToken: null, CancellationToken.None);
            var issued = response.RootElement.Deserialize(WeChatJsonContext.Default.AccessTokenResponse);
            if (issued is not { AccessToken.Length: > 0, ExpiresIn: > 0 })
            {
                throw new WeChatTransportException(TokenPath, "the response carries no access_token", isRetryable: false);
            }

            var token = new CachedAccessToken(issued.AccessToken, _time.GetUtcNow().AddSeconds(issued.ExpiresIn));
            _logger.LogInformation("wechat: access token refreshed, valid until {ExpiresAt}", token.ExpiresAt);
            return token;
        }, CancellationToken.None);

    private async Task<JsonDocument> SendAsync(
        HttpMethod method, string path, string query, byte[]? body, string? accessToken, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(_baseUrl + path + "?" + query));
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        }

        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            // Only a connection that was never made proves the request did not arrive.
            var neverLeft = e.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError
                or HttpRequestError.SecureConnectionError or HttpRequestError.ProxyTunnelError;
            throw new WeChatTransportException(path, "the request could not be completed", isRetryable: true, e.StatusCode, e, mayHaveArrived: !neverLeft);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new WeChatTransportException(path, "the request timed out", isRetryable: true, innerException: e, mayHaveArrived: true);
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                var status = response.StatusCode;
                var retryable = (int)status >= 500 || status is HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout;
                throw new WeChatTransportException(
                    path, string.Create(CultureInfo.InvariantCulture, $"HTTP {(int)status}"), retryable, status);
            }

            var content = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(content);
            }
            catch (JsonException e)
            {
                throw new WeChatTransportException(path, "the response is not JSON", isRetryable: false, innerException: e, mayHaveArrived: true);
            }

            if (TryReadError(document.RootElement, out var errorCode, out var errorMessage))
            {
                document.Dispose();
                throw new WeChatApiException(path, errorCode, Redact(errorMessage, accessToken));
            }

            return document;
        }
    }

    private static bool TryReadError(JsonElement root, out int errorCode, out string errorMessage)
    {
        errorCode = 0;
        errorMessage = "";
        if (root.ValueKind != JsonValueKind.Object
            || !root.TryGetProperty("errcode", out var code)
            || !code.TryGetInt32(out errorCode)
            || errorCode == 0)
        {
            return false;
        }

        if (root.TryGetProperty("errmsg", out var message) && message.ValueKind == JsonValueKind.String)
        {
            errorMessage = message.GetString() ?? "";
        }

        return true;
    }

    private static string AccessTokenQuery(CachedAccessToken token) => "access_token=" + Uri.EscapeDataString(token.Value);

    private string Redact(string text, string? accessToken)
    {
        text = text.Replace(_options.AppSecret, Redacted, StringComparison.Ordinal);
        return string.IsNullOrEmpty(accessToken) ? text : text.Replace(accessToken, Redacted, StringComparison.Ordinal);
    }

    private bool IsFresh([NotNullWhen(true)] CachedAccessToken? token) =>
        token is not null && _time.GetUtcNow() < token.ExpiresAt - _options.AccessTokenRefreshMargin;
}
