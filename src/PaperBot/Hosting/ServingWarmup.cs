using System.Runtime;
using Microsoft.Extensions.Options;
using PaperBot.Web;

namespace PaperBot.Hosting;

/// <summary>
/// Once the host serves, and before <c>/healthz</c> reports healthy: the console's "/paper 1" sent through the site's
/// own middleware pipeline (routing, rate limiting, the endpoint, the command engine, the JSON writer), at least
/// <see cref="AtLeast"/> times and until the JIT has been quiet for <see cref="Quiet"/>, for at most <see cref="Longest"/>.
/// The runtime compiles a hot method a second time, optimised, after about 30 calls, and the first readers after a
/// deploy or a crash would otherwise wait behind that and behind the first call of every step of an answer (issue 14;
/// docs/benchmarks.md, Lean). The JIT is seldom quiet that soon (other services start, and the runtime goes on
/// optimising in bursts); the cap bounds what the start pays, and one second took away nearly all of the first seconds'
/// stalls. Nothing goes over the network and nothing is stored: a passing console visitor is not kept, and these
/// requests have a rate-limit partition of their own.
/// </summary>
public sealed class ServingWarmup(IServiceScopeFactory scopes, IOptions<WebOptions> web, IHostApplicationLifetime lifetime, ILogger<ServingWarmup> logger)
    : BackgroundService
{
    /// <summary>The <see cref="HttpContext.Items"/> key that marks a warm-up request; only the server sets Items.</summary>
    public static readonly object Marker = new();

    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan Longest = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Spacing = TimeSpan.FromMilliseconds(2);
    private const int AtLeast = 60;
    private static readonly byte[] Body = """{"text":"/paper 1"}"""u8.ToArray();

    private RequestDelegate? pipeline;
    private volatile bool warm = !web.Value.WarmUp;

    /// <summary>Keeps the application's pipeline (everything after the first middleware) to send the warm-up through.</summary>
    public void Capture(IApplicationBuilder app) => app.Use(next => pipeline = next);

    public bool IsWarm => warm;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (warm)
            return;
        try
        {
            await WhenStartedAsync(stoppingToken);
            await WarmUpAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return;
        }
        catch (Exception e)
        {
            // A warm-up is worth a faster first answer, never an unhealthy bot: what failed here fails for readers too,
            // and the database check still says so.
            logger.LogWarning(e, "startup: the warm-up failed; serving without it");
        }

        // Start-up leaves garbage in pages nothing touches again; one aggressive collection before reporting healthy
        // gives them back (about 9 MiB of the idle resident set, docs/benchmarks.md, Lean) for a few milliseconds.
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        warm = true;
    }

    private Task WhenStartedAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        return started.Task.WaitAsync(stoppingToken);
    }

    private async Task WarmUpAsync(CancellationToken stoppingToken)
    {
        var app = pipeline ?? throw new InvalidOperationException("the pipeline was not captured (ServingWarmup.Capture)");
        var clock = TimeProvider.System;
        var began = clock.GetTimestamp();
        var compiled = JitInfo.GetCompiledMethodCount();
        var lastCompiled = began;
        var sent = 0;
        while (true)
        {
            await SendAsync(app, stoppingToken);
            sent++;
            await Task.Delay(Spacing, stoppingToken);
            if (JitInfo.GetCompiledMethodCount() is var now && now != compiled)
            {
                compiled = now;
                lastCompiled = clock.GetTimestamp();
            }

            if ((sent >= AtLeast && clock.GetElapsedTime(lastCompiled) >= Quiet) || clock.GetElapsedTime(began) >= Longest)
                break;
        }

        logger.LogInformation("startup: warmed up with {Requests} console requests in {ElapsedMs:0} ms", sent, clock.GetElapsedTime(began).TotalMilliseconds);
    }

    private async Task SendAsync(RequestDelegate app, CancellationToken stoppingToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var http = new DefaultHttpContext { RequestServices = scope.ServiceProvider, RequestAborted = stoppingToken };
        http.Items[Marker] = true;
        var request = http.Request;
        request.Method = HttpMethods.Post;
        request.Scheme = "http";
        request.Host = new HostString("localhost");
        request.Path = "/api/chat";
        request.ContentType = "application/json";
        request.ContentLength = Body.Length;
        request.Body = new MemoryStream(Body, writable: false);
        http.Response.Body = Stream.Null;
        await app(http);
        if (http.Response.StatusCode != StatusCodes.Status200OK)
            throw new InvalidOperationException($"the console answered the warm-up with {http.Response.StatusCode}");
    }
}
