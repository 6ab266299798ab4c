using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;

namespace PaperBot.Bench;

/// <summary>The admin page as a browser uses it: logged in with the password and the form's anti-forgery token, cookies kept.</summary>
public sealed partial class AdminClient : IDisposable
{
    private readonly HttpClient client;

    private AdminClient(Uri address)
    {
        client = new HttpClient(new SocketsHttpHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false })
        {
            BaseAddress = address,
            Timeout = TimeSpan.FromSeconds(30),
        };
    }

    public static async Task<AdminClient> LogInAsync(Uri address, string password)
    {
        var admin = new AdminClient(address);
        var form = await admin.client.GetStringAsync("/admin/login");
        var token = Token().Match(form) is { Success: true } match ? WebUtility.HtmlDecode(match.Groups[1].Value) : throw new InvalidOperationException("admin: no anti-forgery token on /admin/login");
        using var login = await admin.client.PostAsync("/admin/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["password"] = password,
            ["__RequestVerificationToken"] = token,
        }));
        if (login.StatusCode != HttpStatusCode.Redirect)
            throw new InvalidOperationException($"admin: login answered {(int)login.StatusCode}, not a redirect");
        return admin;
    }

    /// <summary>What the admin page polls: GET /admin/api/pushes/{id}/progress; returns how long the answer took.</summary>
    public async Task<TimeSpan> ReadProgressAsync(int pushId)
    {
        var started = Stopwatch.GetTimestamp();
        using var response = await client.GetAsync($"/admin/api/pushes/{pushId}/progress");
        await response.Content.ReadAsByteArrayAsync();
        var took = Stopwatch.GetElapsedTime(started);
        response.EnsureSuccessStatusCode();
        return took;
    }

    public void Dispose() => client.Dispose();

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex Token();
}
