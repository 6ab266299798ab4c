using System.Text;

namespace PaperBot.Bench.Lean;

public sealed record LeanSettings(int Runs, double Rate, TimeSpan FirstWindow, TimeSpan WarmAfter, TimeSpan WarmWindow, TimeSpan Idle, int ConsoleRequests, bool Quick)
{
    public static LeanSettings From(Arguments arguments)
    {
        var quick = arguments.Flag("--quick");
        return new LeanSettings(
            arguments.WholeNumber("--runs", quick ? 1 : 5),
            arguments.Number("--rate", 200),
            TimeSpan.FromSeconds(10),
            TimeSpan.FromSeconds(arguments.Number("--warm-after", quick ? 20 : 60)),
            TimeSpan.FromSeconds(10),
            TimeSpan.FromSeconds(8),
            4000,
            quick);
    }
}

/// <summary>One app's figures in one run; a figure the app does not have (a new database for the bare app) is null.</summary>
public sealed record LeanRun(
    double Load, TimeSpan StartExisting, TimeSpan? StartNew, double IdleMiB, double P99FirstMs, double MaxFirstMs, double P99WarmMs,
    double PeakAfterRequestsMiB, int Errors, double P99LateMs);

public sealed record LeanFigures(IReadOnlyList<LeanRun> Bare, IReadOnlyList<LeanRun> PaperBot, bool BareServerGc);

/// <summary>
/// Lean (issue 14): PaperBot beside a bare <c>dotnet new web</c> app, both published as the Dockerfile publishes, started one after the other in
/// each run (so both meet the same machine), five runs each: start to /healthz 200, resident memory when idle, p99
/// latency at a steady open-loop rate in the first seconds after start and once warm, and peak memory after console requests.
/// </summary>
public static class LeanBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        var arguments = Arguments.Parse(args);
        var settings = LeanSettings.From(arguments);
        var output = arguments.Value("--out") ?? "docs/benchmarks.md";
        Console.WriteLine("== publishing the bare app (dotnet new web + /healthz) and PaperBot as the Dockerfile does");
        using var bare = await BareApp.CreateAsync();
        var published = Directory.CreateTempSubdirectory("paperbot-bench-publish-");
        var paperBotDll = Environment.GetEnvironmentVariable("PAPERBOT_BENCH_BOT") is { Length: > 0 } other
            ? other
            : await DotnetPublish.PaperBotAsync(published.FullName);
        var bareApp = new App("bare", bare.Dll, () => new HttpRequestMessage(HttpMethod.Get, "/healthz"));
        var paperBot = new App("PaperBot", paperBotDll, () => new HttpRequestMessage(HttpMethod.Post, "/api/chat")
        {
            Content = new StringContent("""{"text":"/paper 4"}""", Encoding.UTF8, "application/json"),
        });

        // The generator's own first requests are compiled here, not during a measured window.
        await using (var warmUp = BotProcess.Start(new Dictionary<string, string>(), bare.Dll))
        {
            await warmUp.WaitHealthyAsync();
            await new OpenLoopLoad(bareApp.Request).RunAsync(warmUp.Address, settings.Rate, TimeSpan.FromSeconds(3));
        }

        var bareRuns = new List<LeanRun>();
        var paperBotRuns = new List<LeanRun>();
        for (var run = 1; run <= settings.Runs; run++)
        {
            Console.WriteLine($"== run {run} of {settings.Runs}");
            bareRuns.Add(await RunBareAsync(bareApp, settings));
            paperBotRuns.Add(await RunPaperBotAsync(paperBot, settings));
        }

        published.Delete(recursive: true);
        var section = LeanReport.Write(settings, new LeanFigures(bareRuns, paperBotRuns, bare.ServerGc), args);
        await BenchmarksDoc.WriteAsync(output, LeanReport.Heading, section);
        Console.WriteLine(section);
        Console.WriteLine($"written to {output}");
        return 0;
    }

    private sealed record App(string Name, string Dll, Func<HttpRequestMessage> Request);

    private static async Task<LeanRun> RunBareAsync(App app, LeanSettings settings)
    {
        var load = Machine.Load();
        var (start, idle) = await StartIdleAsync(app, new Dictionary<string, string>(), settings);
        var latency = await UnderLoadAsync(app, new Dictionary<string, string>(), settings);
        return Report(app, new LeanRun(load, start, null, idle, latency.P99First, latency.MaxFirst, latency.P99Warm, latency.PeakMiB, latency.Errors, latency.P99Late));
    }

    private static async Task<LeanRun> RunPaperBotAsync(App app, LeanSettings settings)
    {
        var load = Machine.Load();
        var directory = Directory.CreateTempSubdirectory("paperbot-bench-lean-").FullName;
        try
        {
            var environment = new Dictionary<string, string>
            {
                ["ConnectionStrings__PaperBot"] = $"Data Source={Path.Combine(directory, "paperbot.db")}",
                // The load comes from one address; the console's per-address limit (60 a minute) would refuse it.
                ["Web__ConsoleMessagesPerMinute"] = "1000000",
                // No paper metadata lookups on the network (a key the topic tagging work adds; ignored before it).
                ["Arxiv__Enabled"] = "false",
            }.With(BotEnvironment.Runtime);
            TimeSpan startNew;
            await using (var first = BotProcess.Start(environment, app.Dll))
            {
                await first.WaitHealthyAsync(every: TimeSpan.FromMilliseconds(10));
                startNew = first.StartToHealthy;
                await first.StopAsync();
            }

            var (start, idle) = await StartIdleAsync(app, environment, settings);
            var latency = await UnderLoadAsync(app, environment, settings);
            return Report(app, new LeanRun(load, start, startNew, idle, latency.P99First, latency.MaxFirst, latency.P99Warm, latency.PeakMiB, latency.Errors, latency.P99Late));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    private static LeanRun Report(App app, LeanRun run)
    {
        Console.WriteLine($"  {app.Name}: healthy {run.StartExisting.TotalSeconds:0.00} s{(run.StartNew is { } n ? $" ({n.TotalSeconds:0.00} s on a new database)" : "")}, "
            + $"idle {run.IdleMiB:0} MiB, p99 {run.P99FirstMs:0.0} ms in the first 10 s (max {run.MaxFirstMs:0}), {run.P99WarmMs:0.0} ms warm, "
            + $"peak {run.PeakAfterRequestsMiB:0} MiB after the requests; {run.Errors} errors; generator p99 lateness {run.P99LateMs:0.0} ms; load {run.Load:0.0}");
        return run;
    }

    /// <summary>Start to /healthz 200, then the resident set after <see cref="LeanSettings.Idle"/> of nothing.</summary>
    private static async Task<(TimeSpan Start, double IdleMiB)> StartIdleAsync(App app, Dictionary<string, string> environment, LeanSettings settings)
    {
        await using var process = BotProcess.Start(environment, app.Dll);
        await process.WaitHealthyAsync(every: TimeSpan.FromMilliseconds(10));
        await Task.Delay(settings.Idle);
        var idle = process.ResidentMiB();
        await process.StopAsync();
        return (process.StartToHealthy, idle);
    }

    /// <summary>
    /// Load from the moment /healthz answers: the first window's p99, the peak resident set once the console requests
    /// have been answered, and the p99 of a window after warming up.
    /// </summary>
    private static async Task<(double P99First, double MaxFirst, double P99Warm, double PeakMiB, int Errors, double P99Late)> UnderLoadAsync(
        App app, Dictionary<string, string> environment, LeanSettings settings)
    {
        await using var process = BotProcess.Start(environment, app.Dll);
        await process.WaitHealthyAsync(every: TimeSpan.FromMilliseconds(10));
        double peak = 0;
        var samples = await new OpenLoopLoad(app.Request).RunAsync(process.Address, settings.Rate, settings.WarmAfter + settings.WarmWindow,
            (settings.ConsoleRequests, () => peak = process.PeakResidentMiB()));
        await process.StopAsync();
        var first = samples.Where(s => s.At < settings.FirstWindow.TotalSeconds).Select(s => s.LatencyMs).ToList();
        var warm = samples.Where(s => s.At >= settings.WarmAfter.TotalSeconds).Select(s => s.LatencyMs).ToList();
        return (Percentiles.Of(first, 99), first.Max(), Percentiles.Of(warm, 99), peak, samples.Count(s => !s.Ok), Percentiles.Of(samples.Select(s => s.LateMs).ToList(), 99));
    }
}
