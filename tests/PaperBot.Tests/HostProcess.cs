using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using PaperBot.TestServices;

namespace PaperBot.Tests;

/// <summary>
/// The program started as its own process, as an operator starts it: the built PaperBot.dll, a working directory,
/// environment variables — the test's environment without the developer's bot settings (<see cref="TestIsolation"/>),
/// as Production, with every API base URL on this machine.
/// </summary>
public sealed class HostProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly StringBuilder output = new();
    private readonly StringBuilder error = new();

    private readonly bool ownsDirectory;
    private bool disposed;

    private HostProcess(Process process, string workingDirectory, bool ownsDirectory, Uri address)
    {
        this.process = process;
        this.ownsDirectory = ownsDirectory;
        WorkingDirectory = workingDirectory;
        Address = address;
    }

    public string WorkingDirectory { get; }
    public Uri Address { get; }
    public int Id => process.Id;

    public string Output
    {
        get
        {
            lock (output)
                return output.ToString();
        }
    }

    public string Error
    {
        get
        {
            lock (error)
                return error.ToString();
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static HostProcess Start(IDictionary<string, string>? environment = null, string? workingDirectory = null, params string[] args)
    {
        var address = new Uri($"http://127.0.0.1:{FreePort()}");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "PaperBot.dll"));
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        TestIsolation.ClearDeveloperEnvironment();
        foreach (var name in start.Environment.Keys.Where(TestIsolation.IsDeveloperSetting).ToList())
            start.Environment.Remove(name);
        start.Environment["Urls"] = address.ToString().TrimEnd('/');
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (var (key, value) in TestIsolation.Defaults)
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        // Tests never reach the real arXiv; those about arXiv point Arxiv__ApiBaseUrl at a fake and turn it on.
        start.Environment["Arxiv__Enabled"] = "false";
        // The start-up's warm-up costs CPU the suite spends better; ServingWarmupTests turn it on.
        start.Environment["Web__WarmUp"] = "false";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
            start.Environment[key] = value;
        TestIsolation.EnsureLocal(start.Environment);

        var ownsDirectory = workingDirectory is null;
        start.WorkingDirectory = workingDirectory ??= Directory.CreateTempSubdirectory("paperbot-process-").FullName;
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var host = new HostProcess(process, workingDirectory, ownsDirectory, address);
        process.OutputDataReceived += (_, e) => Append(host.output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(host.error, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return host;
    }

    private static void Append(StringBuilder target, string? line)
    {
        if (line is null)
            return;
        lock (target)
            target.AppendLine(line);
    }

    public async Task<bool> WaitForHealthyAsync(TimeSpan timeout)
    {
        using var client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline && !process.HasExited)
        {
            try
            {
                if ((await client.GetAsync("/healthz")).StatusCode == HttpStatusCode.OK)
                    return true;
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(100);
        }

        return false;
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        await process.WaitForExitAsync(cancellation.Token);
        process.WaitForExit();
        return process.ExitCode;
    }

    /// <summary>SIGKILL: no shutdown hooks, like a crash or <c>kill -9</c>.</summary>
    public void Kill() => process.Kill(entireProcessTree: true);

    /// <summary>SIGTERM, as a service manager or <c>docker stop</c> asks a program to stop: it shuts down gracefully.</summary>
    public void Terminate()
    {
        if (Signal(process.Id, Sigterm) != 0)
            throw new InvalidOperationException($"unable to send SIGTERM to process {process.Id}");
    }

    private const int Sigterm = 15;

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Signal(int pid, int signal);

    public async ValueTask DisposeAsync()
    {
        if (disposed)
            return;
        disposed = true;
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
        if (ownsDirectory)
            Directory.Delete(WorkingDirectory, recursive: true);
    }
}
