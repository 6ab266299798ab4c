using System.Diagnostics;

namespace PaperBot.Bench.Lean;

/// <summary>
/// The yardstick: <c>dotnet new web</c> as the SDK's template makes it, plus a /healthz endpoint, published in a
/// temporary folder the way PaperBot's Dockerfile publishes PaperBot (the SDK and its templates work offline).
/// Deleted when disposed.
/// </summary>
public sealed class BareApp : IDisposable
{
    private readonly string directory;

    private BareApp(string directory, string dll)
    {
        this.directory = directory;
        Dll = dll;
    }

    public string Dll { get; }

    /// <summary>Whether the template's project runs the server garbage collector (the Web SDK's default).</summary>
    public bool ServerGc => File.ReadAllText(Path.ChangeExtension(Dll, ".runtimeconfig.json")).Contains("\"System.GC.Server\": true", StringComparison.Ordinal);

    public static async Task<BareApp> CreateAsync()
    {
        var directory = Directory.CreateTempSubdirectory("paperbot-bench-bare-").FullName;
        var project = Path.Combine(directory, "Bare");
        await RunAsync(directory, "new", "web", "--output", project, "--name", "Bare");
        var program = Path.Combine(project, "Program.cs");
        var source = await File.ReadAllTextAsync(program);
        const string Root = "app.MapGet(\"/\", () => \"Hello World!\");";
        if (!source.Contains(Root, StringComparison.Ordinal))
            throw new InvalidOperationException($"the web template's Program.cs changed; expected {Root}");
        await File.WriteAllTextAsync(program, source.Replace(Root, Root + "\napp.MapGet(\"/healthz\", () => \"Healthy\");", StringComparison.Ordinal));
        var output = Path.Combine(directory, "out");
        await DotnetPublish.AsDockerfileAsync(project, output);
        return new BareApp(directory, Path.Combine(output, "Bare.dll"));
    }

    internal static async Task RunAsync(string workingDirectory, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"dotnet {string.Join(' ', arguments)} failed ({process.ExitCode}):\n{await output}\n{await errors}");
    }

    public void Dispose() => Directory.Delete(directory, recursive: true);
}
