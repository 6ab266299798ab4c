using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace PaperBot.Bench;

/// <summary>
/// A program as operators run it — its own process, <c>dotnet app.dll</c> — with its resident memory read from /proc and
/// the moments it started and turned healthy taken as Stopwatch timestamps (comparable with the fake Bot API's).
/// </summary>
public sealed partial class BotProcess : IAsyncDisposable
{
    private const int OutputLinesKept = 200;

    private readonly Process process;
    private readonly CancellationTokenSource sampling = new();
    private readonly Task sampler;
    private readonly Queue<string> output = new();
    private long peakDuringWork;
    private volatile bool working;

    private BotProcess(Process process, Uri address, long startedAt)
    {
        this.process = process;
        Address = address;
        StartedAt = startedAt;
        sampler = SampleAsync(sampling.Token);
    }

    public Uri Address { get; }

    public int Id => process.Id;

    /// <summary>Just before the process was started.</summary>
    public long StartedAt { get; }

    /// <summary>When /healthz first answered 200, once <see cref="WaitHealthyAsync"/> has seen it.</summary>
    public long? HealthyAt { get; private set; }

    public TimeSpan StartToHealthy => Stopwatch.GetElapsedTime(StartedAt, HealthyAt ?? throw new InvalidOperationException("not healthy yet"));

    /// <summary>The highest resident set size seen between <see cref="StartWork"/> and now, in MiB.</summary>
    public double PeakWorkingMiB => Interlocked.Read(ref peakDuringWork) / 1024.0 / 1024.0;

    /// <summary>The resident set when the work began, in MiB: the bot's footprint before the audience mattered.</summary>
    public double StartMiB { get; private set; }

    /// <summary>PaperBot's Release build from next to the bench; PAPERBOT_BENCH_BOT measures another build, e.g. a ReadyToRun publish.</summary>
    public static string PaperBotDll =>
        Environment.GetEnvironmentVariable("PAPERBOT_BENCH_BOT") is { Length: > 0 } other ? other : Path.Combine(AppContext.BaseDirectory, "PaperBot.dll");

    public static BotProcess Start(IDictionary<string, string> environment, string? dll = null)
    {
        var port = FreePort();
        dll ??= PaperBotDll;
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        start.ArgumentList.Add(dll);
        start.Environment["Urls"] = $"http://127.0.0.1:{port}";
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (var (key, value) in environment)
            start.Environment[key] = value;
        var startedAt = Stopwatch.GetTimestamp();
        var process = Process.Start(start)!;
        var bot = new BotProcess(process, new Uri($"http://127.0.0.1:{port}"), startedAt);
        process.OutputDataReceived += (_, e) => bot.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => bot.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return bot;
    }

    private void Keep(string? line)
    {
        if (line is not { Length: > 0 })
            return;
        lock (output)
        {
            output.Enqueue(line);
            if (output.Count > OutputLinesKept)
                output.Dequeue();
        }

        if (line.Contains("fail:", StringComparison.Ordinal) || line.Contains("crit:", StringComparison.Ordinal))
            Console.Error.WriteLine($"  bot {process.Id}: {line}");
    }

    /// <summary>The last lines the program wrote, for a run that went wrong.</summary>
    public string LastOutput()
    {
        lock (output)
            return string.Join('\n', output);
    }

    /// <summary>Asks /healthz every <paramref name="every"/> until it answers 200; returns that moment.</summary>
    public async Task<long> WaitHealthyAsync(TimeSpan? every = null, TimeSpan? timeout = null)
    {
        using var client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < (timeout ?? TimeSpan.FromSeconds(120)))
        {
            if (process.HasExited)
                throw new InvalidOperationException($"the program exited with {process.ExitCode}:\n{LastOutput()}");
            try
            {
                using var response = await client.GetAsync("/healthz");
                if (response.IsSuccessStatusCode)
                {
                    HealthyAt = Stopwatch.GetTimestamp();
                    return HealthyAt.Value;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(every ?? TimeSpan.FromMilliseconds(100));
        }

        throw new TimeoutException($"the program did not become healthy in time:\n{LastOutput()}");
    }

    public void StartWork()
    {
        StartMiB = ResidentMiB();
        Interlocked.Exchange(ref peakDuringWork, 0);
        working = true;
    }

    public void StopWork() => working = false;

    /// <summary>The resident set now (VmRSS), in MiB.</summary>
    public double ResidentMiB() => (Status("VmRSS:") ?? 0) / 1024.0 / 1024.0;

    /// <summary>The highest resident set since the process started (VmHWM), in MiB.</summary>
    public double PeakResidentMiB() => (Status("VmHWM:") ?? 0) / 1024.0 / 1024.0;

    /// <summary>kill -9: no shutdown, no flush, as a crash or an OOM kill.</summary>
    public async Task KillAsync()
    {
        if (process.HasExited)
            return;
        process.Kill();
        await process.WaitForExitAsync();
    }

    /// <summary>SIGTERM, as a service manager stops it; kill -9 after <paramref name="grace"/>.</summary>
    public async Task StopAsync(TimeSpan? grace = null)
    {
        if (process.HasExited)
            return;
        _ = SendSignal(process.Id, SigTerm);
        using var timeout = new CancellationTokenSource(grace ?? TimeSpan.FromSeconds(15));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            await KillAsync();
        }
    }

    private async Task SampleAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            if (working && Status("VmRSS:") is { } rss && rss > Interlocked.Read(ref peakDuringWork))
                Interlocked.Exchange(ref peakDuringWork, rss);
            try
            {
                await Task.Delay(50, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private long? Status(string field)
    {
        try
        {
            var line = File.ReadLines($"/proc/{process.Id}/status").FirstOrDefault(l => l.StartsWith(field, StringComparison.Ordinal));
            return line is null ? null : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private const int SigTerm = 15;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);

    public async ValueTask DisposeAsync()
    {
        await sampling.CancelAsync();
        await sampler;
        await KillAsync();
        process.Dispose();
        sampling.Dispose();
    }
}
