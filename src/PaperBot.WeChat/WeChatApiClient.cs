// Server-side API calls: access token (获取 Access token), customer-service messages (客服消息),
// mass send by OpenID list and to all followers (群发), custom menu (自定义菜单), and the article's way out:
// images (素材管理), drafts (草稿箱) and publishing (发布能力). Every call but the token request
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
    private const string AddMaterialPath = "/cgi-bin/material/add_material";
    private const string UploadImagePath = "/cgi-bin/media/uploadimg";
    private const string DraftAddPath = "/cgi-bin/draft/add";
    private const string DraftUpdatePath = "/cgi-bin/draft/update";
    private const string PublishSubmitPath = "/cgi-bin/freepublish/submit";
    private const string PublishGetPath = "/cgi-bin/freepublish/get";
    private const string MassSendAllPath = "/cgi-bin/message/mass/sendall";

    /// <summary>message/mass/sendall: the clientmsgid was already used for a mass send within 24 hours.</summary>
    public const int ClientMsgIdUsed = 45065;

    /// <summary>clientmsgid: at most 64 bytes (errcode 45067 beyond).</summary>
    public const int MaxClientMsgIdBytes = 64;
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
    /// <paramref name="clientMsgId"/> (at most 64 characters), Tencent refuses the repeat with errcode 45065 and the
    /// earlier send's msg_id, returned here as <see cref="WeChatMassSendResult.AlreadySent"/> (a 45065 without a msg_id
    /// is thrown as a <see cref="WeChatApiException"/>).
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
        using var response = await PostAsync(MassSendPath, body, cancellationToken, acceptedError: ClientMsgIdUsed);
        var root = response.RootElement;
        var result = root.Deserialize(WeChatJsonContext.Default.MassSendResponse)
            ?? throw new WeChatTransportException(MassSendPath, "the response carries no msg_id", isRetryable: false);
        if (TryReadError(root, out var errorCode, out _) && errorCode == ClientMsgIdUsed)
        {
            return result.MsgId > 0
                ? new WeChatMassSendResult(result.MsgId, result.MsgDataId, AlreadySent: true)
                : throw new WeChatApiException(MassSendPath, errorCode, "clientmsgid exist, without the earlier send's msg_id");
        }

        return new WeChatMassSendResult(result.MsgId, result.MsgDataId);
    }

    /// <summary>
    /// Uploads a permanent image (material/add_material, type=image, multipart field <c>media</c>): a draft's cover.
    /// Tencent takes bmp, png, jpeg and gif up to 10 MB.
    /// </summary>
    public async Task<WeChatImage> AddImageMaterialAsync(WeChatUpload image, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(image);
        using var response = await PostAsync(AddMaterialPath, "&type=image", () => Multipart(image), cancellationToken);
        var uploaded = response.RootElement.Deserialize(WeChatJsonContext.Default.MediaIdResponse);
        return uploaded is { MediaId.Length: > 0 }
            ? new WeChatImage(uploaded.MediaId, uploaded.Url ?? "")
            : throw new WeChatTransportException(AddMaterialPath, "the response carries no media_id", isRetryable: false);
    }

    /// <summary>Uploads an image for use inside an article (media/uploadimg): jpg or png under 1 MB; returns its URL.</summary>
    public async Task<string> UploadArticleImageAsync(WeChatUpload image, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(image);
        using var response = await PostAsync(UploadImagePath, "", () => Multipart(image), cancellationToken);
        var uploaded = response.RootElement.Deserialize(WeChatJsonContext.Default.MediaIdResponse);
        return uploaded is { Url.Length: > 0 }
            ? uploaded.Url
            : throw new WeChatTransportException(UploadImagePath, "the response carries no url", isRetryable: false);
    }

    /// <summary>Creates a draft of one article (draft/add); returns the draft's media_id.</summary>
    public async Task<string> AddDraftAsync(WeChatDraftArticle article, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(article);
        var body = JsonSerializer.SerializeToUtf8Bytes(new DraftAddRequest([ToBody(article)]), WeChatJsonContext.Default.DraftAddRequest);
        using var response = await PostAsync(DraftAddPath, body, cancellationToken);
        return response.RootElement.Deserialize(WeChatJsonContext.Default.MediaIdResponse) is { MediaId.Length: > 0 } added
            ? added.MediaId
            : throw new WeChatTransportException(DraftAddPath, "the response carries no media_id", isRetryable: false);
    }

    /// <summary>Replaces the article of the draft <paramref name="mediaId"/> (draft/update, index 0).</summary>
    public async Task UpdateDraftAsync(string mediaId, WeChatDraftArticle article, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(mediaId);
        ArgumentNullException.ThrowIfNull(article);
        var body = JsonSerializer.SerializeToUtf8Bytes(new DraftUpdateRequest(mediaId, 0, ToBody(article)), WeChatJsonContext.Default.DraftUpdateRequest);
        using var response = await PostAsync(DraftUpdatePath, body, cancellationToken);
    }

    /// <summary>
    /// Submits the draft for publishing (freepublish/submit) and returns the job's publish_id. Publishing does not
    /// notify followers; the job finishes later (<see cref="GetPublishJobAsync"/>, or the PUBLISHJOBFINISH event).
    /// </summary>
    public async Task<string> SubmitPublishAsync(string draftMediaId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(draftMediaId);
        var body = JsonSerializer.SerializeToUtf8Bytes(new MediaIdBody(draftMediaId), WeChatJsonContext.Default.MediaIdBody);
        using var response = await PostAsync(PublishSubmitPath, body, cancellationToken);
        return IdText(response.RootElement, "publish_id")
            ?? throw new WeChatTransportException(PublishSubmitPath, "the response carries no publish_id", isRetryable: false);
    }

    /// <summary>The state of a publishing job (freepublish/get).</summary>
    public async Task<WeChatPublishJob> GetPublishJobAsync(string publishId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(publishId);
        var body = JsonSerializer.SerializeToUtf8Bytes(new PublishIdRequest(publishId), WeChatJsonContext.Default.PublishIdRequest);
        using var response = await PostAsync(PublishGetPath, body, cancellationToken);
        var root = response.RootElement;
        if (!root.TryGetProperty("publish_status", out var status) || !status.TryGetInt32(out var code))
            throw new WeChatTransportException(PublishGetPath, "the response carries no publish_status", isRetryable: false);
        var urls = root.TryGetProperty("article_detail", out var detail) && detail.ValueKind == JsonValueKind.Object
            && detail.TryGetProperty("item", out var items) && items.ValueKind == JsonValueKind.Array
                ? items.EnumerateArray()
                    .Select(i => i.TryGetProperty("article_url", out var url) ? url.GetString() : null)
                    .OfType<string>()
                    .ToList()
                : [];
        var failed = root.TryGetProperty("fail_idx", out var fails) && fails.ValueKind == JsonValueKind.Array
            ? fails.EnumerateArray().Where(f => f.ValueKind == JsonValueKind.Number).Select(f => f.GetInt32()).ToList()
            : [];
        return new WeChatPublishJob(IdText(root, "publish_id") ?? publishId, (WeChatPublishStatus)code, IdText(root, "article_id"), urls, failed);
    }

    /// <summary>
    /// Mass-sends the draft <paramref name="draftMediaId"/> to every follower (message/mass/sendall, is_to_all, mpnews),
    /// which also publishes it. <paramref name="clientMsgId"/> makes the call idempotent for 24 hours: a repeat is
    /// refused with errcode 45065 and the earlier send's msg_id, returned here as <see cref="WeChatMassSendAll.AlreadySent"/>.
    /// A <see cref="WeChatTransportException"/> leaves it unknown whether the job was queued: repeat the call with the
    /// same clientmsgid.
    /// </summary>
    public async Task<WeChatMassSendAll> MassSendArticleToAllAsync(string draftMediaId, string clientMsgId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(draftMediaId);
        ArgumentException.ThrowIfNullOrEmpty(clientMsgId);
        if (System.Text.Encoding.UTF8.GetByteCount(clientMsgId) > MaxClientMsgIdBytes)
            throw new ArgumentException($"A clientmsgid takes at most {MaxClientMsgIdBytes} bytes.", nameof(clientMsgId));
        var request = new MassSendAllNewsRequest(new MassSendFilter(IsToAll: true), new MediaIdBody(draftMediaId), clientMsgId);
        var body = JsonSerializer.SerializeToUtf8Bytes(request, WeChatJsonContext.Default.MassSendAllNewsRequest);
        using var response = await PostAsync(MassSendAllPath, body, cancellationToken, acceptedError: ClientMsgIdUsed);
        var root = response.RootElement;
        var alreadySent = TryReadError(root, out var errorCode, out _) && errorCode == ClientMsgIdUsed;
        var result = root.Deserialize(WeChatJsonContext.Default.MassSendResponse);
        return result is { MsgId: > 0 }
            ? new WeChatMassSendAll(result.MsgId, result.MsgDataId, alreadySent)
            : throw new WeChatTransportException(MassSendAllPath, "the response carries no msg_id", isRetryable: false);
    }

    private static DraftArticleBody ToBody(WeChatDraftArticle article) =>
        new(article.Title, article.Author, article.Digest, article.Content, article.ContentSourceUrl, article.ThumbMediaId);

    private static MultipartFormDataContent Multipart(WeChatUpload image)
    {
        var file = new ByteArrayContent(image.Content);
        file.Headers.ContentType = new MediaTypeHeaderValue(image.ContentType);
        return new MultipartFormDataContent { { file, "media", image.FileName } };
    }

    /// <summary>Ids Tencent documents as strings but sometimes sends as numbers (publish_id, article_id).</summary>
    private static string? IdText(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value)
            ? value.ValueKind switch
            {
                JsonValueKind.String => value.GetString() is { Length: > 0 } text ? text : null,
                JsonValueKind.Number => value.GetRawText(),
                _ => null,
            }
            : null;

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

    private Task<JsonDocument> PostAsync(string path, byte[] body, CancellationToken cancellationToken, int acceptedError = 0) =>
        PostAsync(path, "", () => Json(body), cancellationToken, acceptedError);

    /// <param name="content">Made afresh for each attempt: a retry after a token refresh sends a new request.</param>
    /// <param name="acceptedError">An errcode whose body is returned instead of thrown (0: none).</param>
    private async Task<JsonDocument> PostAsync(
        string path, string query, Func<HttpContent> content, CancellationToken cancellationToken, int acceptedError = 0)
    {
        var token = await GetAccessTokenAsync(cancellationToken);
        try
        {
            return await SendAsync(HttpMethod.Post, path, AccessTokenQuery(token) + query, content, token.Value, cancellationToken, acceptedError);
        }
        catch (WeChatApiException e) when (e.Kind == WeChatErrorKind.TokenInvalid)
        {
            _logger.LogWarning(
                "wechat: {Path} rejected the access token with errcode {ErrorCode}; refreshing it and retrying once",
                path,
                e.ErrorCode);
            var refreshed = await RefreshAsync(token.Value, cancellationToken);
            return await SendAsync(HttpMethod.Post, path, AccessTokenQuery(refreshed) + query, content, refreshed.Value, cancellationToken, acceptedError);
        }
    }

    private static ByteArrayContent Json(byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        return content;
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
            using var response = await SendAsync(HttpMethod.Get, TokenPath, query, content: null, accessToken: null, CancellationToken.None);
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
        HttpMethod method, string path, string query, Func<HttpContent>? content, string? accessToken, CancellationToken cancellationToken,
        int acceptedError = 0)
    {
        using var request = new HttpRequestMessage(method, new Uri(_baseUrl + path + "?" + query));
        if (content is not null)
        {
            request.Content = content();
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

            var answer = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(answer);
            }
            catch (JsonException e)
            {
                throw new WeChatTransportException(path, "the response is not JSON", isRetryable: false, innerException: e, mayHaveArrived: true);
            }

            if (TryReadError(document.RootElement, out var errorCode, out var errorMessage) && errorCode != acceptedError)
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
