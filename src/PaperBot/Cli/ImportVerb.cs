using PaperBot.Core.Digests;
using PaperBot.Core.Issues;

namespace PaperBot.Cli;

public static class ImportVerb
{
    public const long MaxFileBytes = 1024 * 1024;

    public static readonly Verb Definition = new(
        "import", "import FILE [--format text|markdown|json]",
        "import a digest as a draft issue; prints the issue id and paper count",
        RunAsync, "format");

    private static async Task<int> RunAsync(VerbContext context)
    {
        if (context.Arguments.Count != 1)
            return context.UsageError("give one file");
        var path = context.Arguments[0];
        if (!File.Exists(path))
            return context.Fail($"file '{path}' does not exist");
        if (new FileInfo(path).Length > MaxFileBytes)
            return context.Fail($"file '{path}' is larger than 1 MB");

        DigestFormat? format = context.Option("format") switch
        {
            null => DigestParser.FormatFromFileName(path),
            var name when Enum.TryParse<DigestFormat>(name, ignoreCase: true, out var parsed) => parsed,
            var name => null,
        };
        if (context.Option("format") is { } given && format is null)
            return context.UsageError($"unknown format '{given}'");

        var content = await File.ReadAllTextAsync(path, context.CancellationToken);
        var outcome = await context.Get<IssueImporter>().ImportAsync(content, format, "cli", context.CancellationToken);
        switch (outcome)
        {
            case ImportOutcome.Imported imported:
                if (imported.Untagged.Count > 0)
                    await context.Out.WriteLineAsync($"no topic fits papers {string.Join(", ", imported.Untagged)}; tag them with: topics set {imported.IssueId} N a,b");
                if (imported.MetadataPending)
                    await context.Out.WriteLineAsync("arXiv did not answer; the bot fills in authors and abstracts later");
                return context.Done($"imported issue {imported.IssueId} ({imported.PaperCount} papers) as a draft; publish it with: publish {imported.IssueId}");
            case ImportOutcome.AlreadyImported existing:
                return context.Done($"already imported as issue {existing.IssueId} ({existing.PaperCount} papers); nothing changed");
            case ImportOutcome.Invalid invalid:
                var first = invalid.Errors[0];
                var more = invalid.Errors.Count > 1 ? $" (and {invalid.Errors.Count - 1} more problems)" : "";
                return context.Fail($"{path}:{(first.Line > 0 ? $" line {first.Line}:" : "")} {first.Message}{more}; nothing imported");
            default:
                return context.Fail("unexpected outcome");
        }
    }
}
