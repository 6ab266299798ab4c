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
/// multi-entry response) for any id_list, or, while <see cref="Down"/>, 503 with arXiv's plain-text body. An id_list
/// with an id of <see cref="Refuses"/> is answered as arXiv answers a malformed id: 400 with an error entry naming the
/// first such id. Each request's arrival is stamped here, so spacing is judged where the requests land.
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

    private long delayTicks;

    /// <summary>How long each answer takes, as arXiv's does under load.</summary>
    public TimeSpan Delay { get => TimeSpan.FromTicks(Interlocked.Read(ref delayTicks)); set => Interlocked.Exchange(ref delayTicks, value.Ticks); }

    private volatile IReadOnlySet<string> refuses = new HashSet<string>();

    public IReadOnlySet<string> Refuses { get => refuses; set => refuses = value; }

    public string Url => app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/api/query";

    public static string Response => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Arxiv", "arxiv-response.xml"));

    public static async Task<FakeArxiv> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var fake = new FakeArxiv(app);
        app.MapGet("/api/query", async (HttpContext http) =>
        {
            var idList = http.Request.Query["id_list"].ToString();
            fake.Requests.Enqueue((fake.clock.Elapsed, idList));
            if (fake.Delay > TimeSpan.Zero)
                await Task.Delay(fake.Delay, http.RequestAborted);
            if (fake.Down)
                return Results.Text("Service Unavailable", "text/plain", statusCode: StatusCodes.Status503ServiceUnavailable);
            return idList.Split(',').FirstOrDefault(fake.Refuses.Contains) is { } refused
                ? Results.Text(Error(refused), "application/atom+xml; charset=utf-8", statusCode: StatusCodes.Status400BadRequest)
                : Results.Text(fake.Answer, "application/atom+xml; charset=utf-8");
        });
        await app.StartAsync();
        return fake;
    }

    private static string Error(string id) => $"""
        <?xml version="1.0" encoding="UTF-8"?>
        <feed xmlns="http://www.w3.org/2005/Atom">
          <link href="http://arxiv.org/api/query?search_query%3D%26id_list%3D{id}" rel="self" type="application/atom+xml"/>
          <title type="html">ArXiv Query: search_query=&amp;id_list={id}</title>
          <id>http://arxiv.org/api/kVlIboofRz2V2LVbDdNyRDCLUEY</id>
          <updated>2026-12-01T00:00:00-05:00</updated>
          <opensearch:totalResults xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">1</opensearch:totalResults>
          <opensearch:startIndex xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">0</opensearch:startIndex>
          <opensearch:itemsPerPage xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">1</opensearch:itemsPerPage>
          <entry>
            <id>http://arxiv.org/api/errors#incorrect_id_format_for_{id}</id>
            <title>Error</title>
            <summary>incorrect id format for {id}</summary>
            <updated>2026-12-01T00:00:00-05:00</updated>
            <link href="http://arxiv.org/api/errors#incorrect_id_format_for_{id}" rel="alternate" type="text/html"/>
            <author>
              <name>arXiv api core</name>
            </author>
          </entry>
        </feed>
        """;

    public async ValueTask DisposeAsync() => await app.DisposeAsync();
}
