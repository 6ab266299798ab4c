using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace PaperBot.WeChat.Tests;

internal sealed record FakeRequest(string Method, string Path, IReadOnlyDictionary<string, string> Query, string ContentType, byte[] Body)
{
    public string BodyText => Encoding.UTF8.GetString(Body);

    public string? AccessToken => Query.GetValueOrDefault("access_token");
}

internal sealed record FakeResponse(int StatusCode, string Body, string ContentType = "application/json; charset=utf-8")
{
    public static FakeResponse Json(string body) => new(200, body);
}

/// <summary>
/// A stand-in for api.weixin.qq.com on 127.0.0.1 that records every request. By default it
/// issues tokens TOKEN-1, TOKEN-2, … valid for 7200 s and answers every other call with errcode 0.
/// </summary>
internal sealed class FakeWeChatApi : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _tokensIssued;

    private FakeWeChatApi(WebApplication app)
    {
        _app = app;
    }

    public Uri BaseUrl { get; private set; } = null!;

    public ConcurrentQueue<FakeRequest> Requests { get; } = new();

    /// <summary>Answers a request instead of the default; null falls through to the default.</summary>
    public Func<FakeRequest, FakeResponse?> Respond { get; set; } = _ => null;

    public TimeSpan TokenDelay { get; set; } = TimeSpan.Zero;

    public TimeSpan CallDelay { get; set; } = TimeSpan.Zero;

    public int TokenRequestCount => TokenRequests.Count;

    public IReadOnlyList<FakeRequest> TokenRequests => Requests.Where(r => r.Path.EndsWith("/cgi-bin/token", StringComparison.Ordinal)).ToList();

    public IReadOnlyList<FakeRequest> CallsTo(string path) =>
        Requests.Where(r => r.Path.EndsWith(path, StringComparison.Ordinal)).ToList();

    public static async Task<FakeWeChatApi> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var api = new FakeWeChatApi(app);
        app.Run(api.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        api.BaseUrl = new Uri(address);
        return api;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted);
        var request = new FakeRequest(
            context.Request.Method,
            context.Request.Path.Value ?? "",
            context.Request.Query.ToDictionary(pair => pair.Key, pair => pair.Value.ToString()),
            context.Request.ContentType ?? "",
            body.ToArray());
        Requests.Enqueue(request);

        var isTokenRequest = request.Path.EndsWith("/cgi-bin/token", StringComparison.Ordinal);
        var delay = isTokenRequest ? TokenDelay : CallDelay;
        if (delay > TimeSpan.Zero)
        {
            await Task.Delay(delay, context.RequestAborted);
        }

        var response = Respond(request) ?? (isTokenRequest ? IssueToken() : FakeResponse.Json("""{"errcode":0,"errmsg":"ok"}"""));
        context.Response.StatusCode = response.StatusCode;
        context.Response.ContentType = response.ContentType;
        await context.Response.WriteAsync(response.Body, context.RequestAborted);
    }

    private FakeResponse IssueToken()
    {
        var number = Interlocked.Increment(ref _tokensIssued);
        return FakeResponse.Json(string.Create(
            CultureInfo.InvariantCulture, $$"""{"access_token":"TOKEN-{{number}}","expires_in":7200}"""));
    }
}
