using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace PaperBot.Bench;

/// <summary>The bot as operators run it — its own process — with its resident memory sampled while it works.</summary>
public sealed class BotProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly CancellationTokenSource sampling = new();
    private readonly Task sampler;
    private long peakDuringWork;
    private volatile bool working;

    private BotProcess(Process process, Uri address)
    {
        this.process = process;
        Address = address;
        sampler = SampleAsync(sampling.Token);
    }

    public Uri Address { get; }

    /// <summary>The highest resident set size seen between <see cref="StartWork"/> and now, in MiB.</summary>
    public double PeakWorkingMiB => Interlocked.Read(ref peakDuringWork) / 1024.0 / 1024.0;

    public static BotProcess Start(IDictionary<string, string> environment)
    {
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "PaperBot.dll"));
        start.Environment["Urls"] = $"http://127.0.0.1:{port}";
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in environment)
            start.Environment[key] = value;
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { Length: > 0 })
                Console.Error.WriteLine($"  bot: {e.Data}");
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new BotProcess(process, new Uri($"http://127.0.0.1:{port}"));
    }

    public async Task WaitHealthyAsync()
    {
        using var client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(2) };
        for (var i = 0; i < 300; i++)
        {
            if (process.HasExited)
                throw new InvalidOperationException($"the bot exited with {process.ExitCode}");
            try
            {
                if ((await client.GetAsync("/healthz")).IsSuccessStatusCode)
                    return;
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("the bot did not become healthy in 30 s");
    }

    public void StartWork()
    {
        Interlocked.Exchange(ref peakDuringWork, 0);
        working = true;
    }

    public void StopWork() => working = false;

    private async Task SampleAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            if (working && ResidentBytes() is { } rss && rss > Interlocked.Read(ref peakDuringWork))
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

    private long? ResidentBytes()
    {
        try
        {
            var line = File.ReadLines($"/proc/{process.Id}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            return line is null ? null : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        await sampling.CancelAsync();
        await sampler;
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
        sampling.Dispose();
    }
}
