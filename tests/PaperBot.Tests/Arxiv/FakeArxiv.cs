using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace PaperBot.Tests.Arxiv;

/// <summary>
/// export.arxiv.org/api/query on 127.0.0.1: answers <see cref="Answer"/> (by default a real Atom feed, the stored
/// multi-entry response) for any id_list, or, while <see cref="Down"/>, 503 with arXiv's plain-text body. Each
/// request's arrival is stamped here, so spacing is judged where the requests land.
/// </summary>
public sealed class FakeArxiv : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly Stopwatch clock = Stopwatch.StartNew();

    private FakeArxiv(WebApplication app) => this.app = app;

    public ConcurrentQueue<(TimeSpan At, string IdList)> Requests { get; } = new();

    private volatile bool down;

    public bool Down { get => down; set => down = value; }

    private volatile string answer = Response;

    public string Answer { get => answer; set => answer = value; }

    public string Url => app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/api/query";

    public static string Response => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Arxiv", "arxiv-response.xml"));

    public static async Task<FakeArxiv> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var fake = new FakeArxiv(app);
        app.MapGet("/api/query", (HttpContext http) =>
        {
            fake.Requests.Enqueue((fake.clock.Elapsed, http.Request.Query["id_list"].ToString()));
            return fake.Down
                ? Results.Text("Service Unavailable", "text/plain", statusCode: StatusCodes.Status503ServiceUnavailable)
                : Results.Text(fake.Answer, "application/atom+xml; charset=utf-8");
        });
        await app.StartAsync();
        return fake;
    }

    public async ValueTask DisposeAsync() => await app.DisposeAsync();
}
