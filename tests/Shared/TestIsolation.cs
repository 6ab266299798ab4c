using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Json;

namespace PaperBot.TestServices;

/// <summary>
/// Keeps a test run off the developer's machine and off the internet. A developer who runs the bot from the same
/// shell has its settings in the environment (Telegram__BotToken, ConnectionStrings__PaperBot, …) and perhaps in user
/// secrets; a test host that read them would call the real Bot API with a live token (deleteWebhook included) or
/// write to the developer's database. So: those variables are cleared before any test runs and again before each host
/// starts, test hosts run outside Development (where user secrets load), every API base URL defaults to
/// <see cref="Nowhere"/>, and a host whose settings name an API anywhere but this machine refuses to start.
/// </summary>
public static class TestIsolation
{
    /// <summary>The discard port on this machine: nothing answers, so a channel switched on by mistake fails here, at once.</summary>
    public const string Nowhere = "http://127.0.0.1:9";

    /// <summary>The program's configuration sections a developer's shell may set for a real bot.</summary>
    private static readonly string[] Sections =
        ["Telegram", "WeChat", "ConnectionStrings", "Admin", "Admins", "Storage", "Metrics", "Web", "Arxiv", "Schedule", "Delivery", "Samples", "Topics", "Retention"];

    /// <summary>Prefixes the hosts strip from environment variables before reading them as settings.</summary>
    private static readonly string[] HostPrefixes = ["DOTNET_", "ASPNETCORE_"];

    /// <summary>Every API base URL a test host starts with unless the test points it at its own fake.</summary>
    public static IReadOnlyDictionary<string, string?> Defaults { get; } = new Dictionary<string, string?>
    {
        ["Telegram:ApiBaseUrl"] = Nowhere,
        ["WeChat:ApiBaseUrl"] = Nowhere,
        ["Arxiv:ApiBaseUrl"] = Nowhere,
    };

    [ModuleInitializer]
    [SuppressMessage("Usage", "CA2255:The ModuleInitializer attribute should not be used in libraries", Justification = "A test assembly: the developer's settings must be gone before xUnit starts the first test.")]
    internal static void BeforeAnyTest() => ClearDeveloperEnvironment();

    /// <summary>Removes the developer's bot settings from this process's environment.</summary>
    public static void ClearDeveloperEnvironment()
    {
        foreach (var name in Environment.GetEnvironmentVariables().Keys.Cast<string>().Where(IsDeveloperSetting).ToList())
            Environment.SetEnvironmentVariable(name, null);
    }

    /// <summary>
    /// A variable that would configure the bot: a setting of one of its sections (<c>Telegram__BotToken</c>, also
    /// as <c>DOTNET_Telegram__BotToken</c>; configuration keys ignore case), or the environment name, which decides
    /// whether user secrets load.
    /// </summary>
    public static bool IsDeveloperSetting(string variable)
    {
        var name = HostPrefixes.FirstOrDefault(p => variable.StartsWith(p, StringComparison.OrdinalIgnoreCase)) is { } prefix ? variable[prefix.Length..] : variable;
        if (name.Equals("ENVIRONMENT", StringComparison.OrdinalIgnoreCase))
            return true;
        var separator = name.IndexOf("__", StringComparison.Ordinal);
        return separator > 0 && Sections.Contains(name[..separator], StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Throws, naming the key and its value, if a setting ending in <c>BaseUrl</c> names a host other than this machine.</summary>
    /// <param name="settings">Configuration keys (<c>Telegram:ApiBaseUrl</c>) or environment variables (<c>Telegram__ApiBaseUrl</c>).</param>
    public static void EnsureLocal(IEnumerable<KeyValuePair<string, string?>> settings)
    {
        foreach (var (key, value) in settings)
        {
            var name = key.Replace("__", ":", StringComparison.Ordinal).Split(':')[^1];
            if (name.EndsWith("BaseUrl", StringComparison.OrdinalIgnoreCase)
                && Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Host.Length > 0 && !uri.IsLoopback)
            {
                throw new InvalidOperationException(
                    $"test isolation: {key} is '{value}', which is not on 127.0.0.1 or localhost; a test host may only call fakes on this machine");
            }
        }
    }

    /// <summary>Checks a test host's configuration before it starts: APIs on this machine only, and no user secrets.</summary>
    public static void EnsureIsolated(IConfiguration configuration)
    {
        EnsureLocal(configuration.AsEnumerable());
        if (configuration is IConfigurationRoot root
            && root.Providers.OfType<JsonConfigurationProvider>().FirstOrDefault(p => p.Source.Path == "secrets.json") is { } secrets)
        {
            throw new InvalidOperationException(
                $"test isolation: the host reads user secrets ({secrets.Source.FileProvider?.GetFileInfo("secrets.json").PhysicalPath ?? "secrets.json"}); run test hosts outside Development");
        }
    }
}
