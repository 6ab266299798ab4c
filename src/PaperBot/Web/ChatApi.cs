using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.Extensions.Options;
using PaperBot.Core.Commands;
using PaperBot.Core.Subscribers;

namespace PaperBot.Web;

/// <summary>
/// POST /api/chat: the browser console, the command engine on channel "web".
/// <c>{"text": "/paper 4"}</c> or <c>{"data": "p:1:4"}</c> → <c>{"replies": [{"text": "…", "buttons": [{"text": "…", "url"|"data": "…"}]}]}</c>.
/// A cookie keeps one console user per browser, so /topics and /lang persist. Only JSON bodies are read (415
/// otherwise: a cross-site form cannot send JSON without the browser asking first). An admin session runs admin commands
/// here only when the request also proves it came from the site's own page — the anti-forgery token in
/// <see cref="AntiforgeryHeader"/>, or this site's Origin (or Referer); otherwise they are refused as for anyone.
/// </summary>
public static class ChatApi
{
    public const string CookieName = "paperbot_console";
    public const int MaxBodyBytes = 16 * 1024;
    public const string RateLimitPolicy = "console";
    public const string AntiforgeryHeader = "X-CSRF-Token";

    public sealed record ChatRequest(string? Text, string? Data);

    public sealed record ChatButton(
        string Text,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Url,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Data);

    public sealed record ChatReply(string Text, IReadOnlyList<ChatButton> Buttons);

    public sealed record ChatResponse(IReadOnlyList<ChatReply> Replies);

    private static readonly JsonSerializerOptions RequestJson = new(JsonSerializerDefaults.Web);

    public static IEndpointRouteBuilder MapChatApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/chat", HandleAsync).RequireRateLimiting(RateLimitPolicy).DisableAntiforgery();
        return app;
    }

    private static async Task<IResult> HandleAsync(HttpContext http, CommandEngine engine, IAntiforgery antiforgery, IOptions<WebOptions> web, CancellationToken cancellationToken)
    {
        if (!http.Request.HasJsonContentType())
            return JsonBody.Problem("send the message as application/json, e.g. {\"text\": \"/help\"}", StatusCodes.Status415UnsupportedMediaType);
        var (request, error) = await JsonBody.ReadAsync<ChatRequest>(http.Request, MaxBodyBytes, RequestJson, cancellationToken);
        if (request is null)
            return error!;
        if (string.IsNullOrWhiteSpace(request.Text) && string.IsNullOrWhiteSpace(request.Data))
            return JsonBody.Problem("send {\"text\": \"/help\"} or {\"data\": \"…\"} from a button");
        if (request.Data is { Length: > 64 })
            return JsonBody.Problem("button data is at most 64 bytes");

        var user = ConsoleUser(http);
        var message = new InboundMessage(Channel.Web, user, user, request.Text, request.Data,
            // The site's language switch speaks for the visitor before the browser's language does.
            LanguageCode: SiteLanguage.Remembered(http) ?? (http.Request.Headers.AcceptLanguage.ToString() is { Length: > 0 } accept ? accept : null))
        {
            HasAdminSession = WebAdmin.IsAdmin(http) && (SameOrigin(http.Request, web.Value) || await antiforgery.IsRequestValidAsync(http)),
        };
        var reply = await engine.HandleAsync(message, cancellationToken);
        return TypedResults.Ok(ToResponse(reply));
    }

    public static ChatResponse ToResponse(Reply reply) => new(reply.Messages
        .Select(m => new ChatReply(m.ToPlainText(), m.Buttons.SelectMany(row => row).Select(b => new ChatButton(b.Text, b.Url, b.Data)).ToList()))
        .ToList());

    /// <summary>The browser says the request came from this site: its Origin (or, without one, its Referer) is ours.</summary>
    private static bool SameOrigin(HttpRequest request, WebOptions web)
    {
        var said = request.Headers.Origin.ToString() is { Length: > 0 } origin ? origin : request.Headers.Referer.ToString();
        if (!Uri.TryCreate(said, UriKind.Absolute, out var from))
            return false;
        return Matches(from, $"{request.Scheme}://{request.Host}") || (web.PublicUrl.Length > 0 && Matches(from, web.PublicUrl));

        static bool Matches(Uri from, string site) =>
            Uri.TryCreate(site, UriKind.Absolute, out var ours)
            && string.Equals(from.Scheme, ours.Scheme, StringComparison.OrdinalIgnoreCase)
            && string.Equals(from.IdnHost, ours.IdnHost, StringComparison.OrdinalIgnoreCase)
            && from.Port == ours.Port;
    }

    private static string ConsoleUser(HttpContext http)
    {
        if (http.Request.Cookies.TryGetValue(CookieName, out var existing) && existing.Length is >= 16 and <= 64 && existing.All(char.IsAsciiLetterOrDigit))
            return existing;
        var created = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        http.Response.Cookies.Append(CookieName, created, new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Secure = http.Request.IsHttps,
            MaxAge = TimeSpan.FromDays(365),
        });
        return created;
    }
}
