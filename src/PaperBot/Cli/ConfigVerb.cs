using System.Data.Common;
using System.Text.RegularExpressions;

namespace PaperBot.Cli;

public static partial class ConfigVerb
{
    public static readonly Verb Definition = new("config", "config", "print the effective settings, secrets redacted", RunAsync) { NeedsDatabase = false };

    private static readonly string[] Sections =
        ["ConnectionStrings", "Storage", "Telegram", "WeChat", "Admins", "Admin", "Schedule", "Delivery", "Retention", "Samples", "Topics", "Arxiv", "Web", "Metrics", "Urls"];

    private static async Task<int> RunAsync(VerbContext context)
    {
        var configuration = context.Get<IConfiguration>();
        var lines = configuration.AsEnumerable()
            .Where(pair => pair.Value is not null && Sections.Any(s => pair.Key.Equals(s, StringComparison.OrdinalIgnoreCase) || pair.Key.StartsWith(s + ":", StringComparison.OrdinalIgnoreCase)))
            .OrderBy(pair => pair.Key, StringComparer.OrdinalIgnoreCase)
            .Select(pair => $"{pair.Key} = {Redact(pair.Key, pair.Value!)}");
        foreach (var line in lines)
            await context.Out.WriteLineAsync(line);
        return 0;
    }

    public static string Redact(string key, string value)
    {
        if (value.Length == 0)
            return "";
        if (SecretKey().IsMatch(key))
            return "(set, redacted)";
        if (!key.StartsWith("ConnectionStrings:", StringComparison.OrdinalIgnoreCase))
            return value;

        var builder = new DbConnectionStringBuilder();
        try
        {
            builder.ConnectionString = value;
        }
        catch (ArgumentException)
        {
            return "(unparseable, redacted)";
        }

        foreach (var name in builder.Keys.Cast<string>().Where(k => SecretKey().IsMatch(k)).ToList())
            builder[name] = "redacted";
        return builder.ConnectionString;
    }

    [GeneratedRegex("(token|secret|password|pwd|aeskey)$", RegexOptions.IgnoreCase)]
    private static partial Regex SecretKey();
}
