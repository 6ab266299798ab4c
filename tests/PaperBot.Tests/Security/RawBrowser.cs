using System.Net;
using System.Text.RegularExpressions;

namespace PaperBot.Tests.Security;

/// <summary>
/// A browser behind a reverse proxy, as the bot sees it over a real socket: it keeps its cookies by hand (so a Secure
/// cookie set behind https still goes back over the test's plain http), and every request carries the headers a proxy
/// would add (X-Forwarded-For, X-Forwarded-Proto).
/// </summary>
public sealed partial class RawBrowser(Uri address, IReadOnlyDictionary<string, string>? forwarded = null) : IDisposable
{
    private readonly HttpClient client = new(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = address };
    private readonly Dictionary<string, string> cookies = new(StringComparer.Ordinal);

    /// <summary>Every Set-Cookie the bot sent, as it sent them.</summary>
    public List<string> SetCookies { get; } = [];

    public string? Cookie(string name) => cookies.GetValueOrDefault(name);

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string url, HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(method, url) { Content = content };
        foreach (var (name, value) in forwarded ?? new Dictionary<string, string>())
            request.Headers.TryAddWithoutValidation(name, value);
        if (cookies.Count > 0)
            request.Headers.Add("Cookie", string.Join("; ", cookies.Select(c => $"{c.Key}={c.Value}")));
        var response = await client.SendAsync(request);
        foreach (var set in response.Headers.TryGetValues("Set-Cookie", out var values) ? values : [])
        {
            SetCookies.Add(set);
            var pair = set.Split(';')[0].Split('=', 2);
            if (pair[1].Length == 0)
                cookies.Remove(pair[0]);
            else
                cookies[pair[0]] = pair[1];
        }

        return response;
    }

    public async Task<HttpResponseMessage> LogInAsync(string password)
    {
        var page = await (await SendAsync(HttpMethod.Get, "/admin/login")).Content.ReadAsStringAsync();
        var token = WebUtility.HtmlDecode(Token().Match(page).Groups[1].Value);
        return await SendAsync(HttpMethod.Post, "/admin/login", new FormUrlEncodedContent(new Dictionary<string, string> { ["password"] = password, ["__RequestVerificationToken"] = token }));
    }

    public void Dispose() => client.Dispose();

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex Token();
}
