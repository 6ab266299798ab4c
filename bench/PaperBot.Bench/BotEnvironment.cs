using System.Globalization;
using System.Text.RegularExpressions;
using PaperBot.Bench.FakeBotApi;

namespace PaperBot.Bench;

/// <summary>The settings the bot under test runs with: the bench's database, Telegram at the fake Bot API, WeChat off.</summary>
public static partial class BotEnvironment
{
    /// <summary>The runtime settings the Dockerfile gives the image (ENV DOTNET_…=… and MALLOC_…=…), so the bench runs the bot as it ships.</summary>
    public static IReadOnlyDictionary<string, string> Runtime { get; } = DotnetSettings()
        .Matches(File.ReadAllText(Path.Combine(Repository.Root, "Dockerfile")))
        .ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);

    public const string Token = "123456789:BENCH-token_0123456789abcdefghijklmnopq";
    public const string AdminPassword = "bench-admin-password";

    public static Dictionary<string, string> For(BenchDatabase database, FakeBotApiProcess telegram, double messagesPerSecond, bool paidBroadcast = false) => new Dictionary<string, string>
    {
        ["Storage__Provider"] = database.Provider,
        ["ConnectionStrings__PaperBot"] = database.ConnectionString,
        ["Samples__ImportOnFirstStart"] = "false",
        // No paper metadata lookups on the network while measuring (a key the topic tagging work adds; ignored before it).
        ["Arxiv__Enabled"] = "false",
        ["Telegram__BotToken"] = Token,
        ["Telegram__ApiBaseUrl"] = telegram.BaseUrl.ToString(),
        ["Telegram__AllowPaidBroadcast"] = paidBroadcast ? "true" : "false",
        ["Delivery__MessagesPerSecond"] = messagesPerSecond.ToString(CultureInfo.InvariantCulture),
        ["Admin__Password"] = AdminPassword,
        ["Logging__LogLevel__Default"] = "Warning",
    }.With(Runtime);

    public static Dictionary<string, string> With(this Dictionary<string, string> environment, IReadOnlyDictionary<string, string> more)
    {
        foreach (var (key, value) in more)
            environment[key] = value;
        return environment;
    }

    [GeneratedRegex(@"\b((?:DOTNET|MALLOC)_\w+)=(\S+)")]
    private static partial Regex DotnetSettings();
}
