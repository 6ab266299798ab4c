using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;

namespace PaperBot.Tests.Admin;

/// <summary>A browser-like client for the admin page: keeps cookies, follows no redirects, fills in the anti-forgery token.</summary>
public sealed partial class AdminSession(HttpClient client)
{
    public const string Password = "correct horse battery staple";

    public HttpClient Client { get; } = client;

    public static AdminSession For(PaperBotApp app) =>
        new(app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true }));

    public static Dictionary<string, string?> WithPassword(params (string Key, string? Value)[] extra)
    {
        var settings = new Dictionary<string, string?> { ["Admin:Password"] = Password };
        foreach (var (key, value) in extra)
            settings[key] = value;
        return settings;
    }

    /// <summary>The anti-forgery token of the form on <paramref name="page"/>; it belongs to whoever is logged in at the time.</summary>
    public async Task<string> TokenAsync(string page = "/admin/login")
    {
        var html = await Client.GetStringAsync(page);
        return Token().Match(html) is { Success: true } match ? WebUtility.HtmlDecode(match.Groups[1].Value) : throw new InvalidOperationException($"no anti-forgery token on {page}");
    }

    public async Task<HttpResponseMessage> LogInAsync(string password = Password, string? returnUrl = null)
    {
        var fields = new Dictionary<string, string> { ["password"] = password, ["__RequestVerificationToken"] = await TokenAsync() };
        if (returnUrl is not null)
            fields["returnUrl"] = returnUrl;
        return await Client.PostAsync("/admin/login", new FormUrlEncodedContent(fields));
    }

    /// <summary>Posts a form as the page at <paramref name="page"/> would, with its token.</summary>
    public async Task<HttpResponseMessage> PostAsync(string url, IEnumerable<KeyValuePair<string, string>> fields, string? page = null)
    {
        var all = fields.ToList();
        all.Add(new("__RequestVerificationToken", await TokenAsync(page ?? "/admin")));
        return await Client.PostAsync(url, new FormUrlEncodedContent(all));
    }

    public Task<HttpResponseMessage> PostAsync(string url, params (string Key, string Value)[] fields) =>
        PostAsync(url, fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value)));

    public async Task<string> FollowAsync(HttpResponseMessage redirect)
    {
        Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
        return await Client.GetStringAsync(redirect.Headers.Location);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex Token();
}
