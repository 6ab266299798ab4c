using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using PaperBot.Cli;
using PaperBot.Hosting;
using PaperBot.TestServices;

namespace PaperBot.Tests.Cli;

/// <summary>Runs command-line verbs in-process against a database file in its own directory.</summary>
public sealed class CliRunner : IDisposable
{
    private readonly Dictionary<string, string?> settings;

    public CliRunner(IDictionary<string, string?>? settings = null)
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("paperbot-cli-").FullName;
        this.settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:PaperBot"] = $"Data Source={Path.Combine(Directory, "paperbot.db")}",
            ["Samples:ImportOnFirstStart"] = "false",
            ["Arxiv:Enabled"] = "false",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            this.settings[key] = value;
    }

    public string Directory { get; }

    public static string Sample => Path.Combine(AppContext.BaseDirectory, "samples", "digest-sample.txt");

    public string Write(string name, string content)
    {
        var path = Path.Combine(Directory, name);
        File.WriteAllText(path, content);
        return path;
    }

    public Task<(int Exit, string Out, string Error)> RunAsync(params string[] args) => RunInAsync(settings, args);

    /// <summary>
    /// Runs a verb against an existing database, like an operator beside a running bot: in-process, as Production
    /// (the developer's environment cleared, see <see cref="TestIsolation"/>), with every API base URL on this machine.
    /// </summary>
    public static async Task<(int Exit, string Out, string Error)> RunInAsync(IDictionary<string, string?> settings, params string[] args)
    {
        TestIsolation.ClearDeveloperEnvironment();
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await ConfigurationErrors.RunAsync(() =>
            CommandLine.RunAsync(args, output, error, builder =>
            {
                builder.Configuration.AddInMemoryCollection(TestIsolation.Defaults);
                builder.Configuration.AddInMemoryCollection(settings);
                TestIsolation.EnsureIsolated(builder.Configuration);
            }), error);
        return (exit, output.ToString(), error.ToString());
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
