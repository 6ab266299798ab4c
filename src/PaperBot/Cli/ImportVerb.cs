using PaperBot.Core.Digests;
using PaperBot.Core.Issues;

namespace PaperBot.Cli;

public static class ImportVerb
{
    public const long MaxFileBytes = DigestParser.MaxInputBytes;

    public static readonly Verb Definition = new(
        "import", "import FILE [--format text|markdown|json|html]",
        "import a digest (text, Markdown, JSON or a WeChat article's HTML) as a draft issue; prints the issue id and paper count",
        RunAsync, "format")
    {
        MaxArguments = 1,
        Validate = Check,
    };

    private static int? Check(VerbContext context)
    {
        if (context.Arguments.Count != 1)
            return context.UsageError("give one file");
        var path = context.Arguments[0];
        if (!File.Exists(path))
            return context.Fail($"file '{path}' does not exist");
        if (context.Option("format") is { } given && !Enum.TryParse<DigestFormat>(given, ignoreCase: true, out _))
            return context.UsageError($"unknown format '{given}'");
        var maxBytes = FormatOf(context) == DigestFormat.Html ? DigestParser.MaxHtmlInputBytes : MaxFileBytes;
        if (new FileInfo(path).Length > maxBytes)
            return context.Fail($"file '{path}' is larger than {maxBytes / (1024 * 1024)} MB");
        return null;
    }

    private static DigestFormat? FormatOf(VerbContext context) =>
        context.Option("format") is { } name ? Enum.Parse<DigestFormat>(name, ignoreCase: true) : DigestParser.FormatFromFileName(context.Arguments[0]);

    private static async Task<int> RunAsync(VerbContext context)
    {
        var path = context.Arguments[0];
        var format = FormatOf(context);
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
