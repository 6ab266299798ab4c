using PaperBot.Core.Digests;

namespace PaperBot.Bench.Topics;

public sealed record LabelledPaper(string Part, string File, int Number, string ArxivId, string Title, string Summary, IReadOnlySet<string> Labels);

/// <summary>
/// bench/topics: digests in the sample's text format (tuning-*.txt, heldout-*.txt), read with the product's own
/// parser, and labels.tsv (arXiv id, hand labels) joined to them by arXiv id.
/// </summary>
public static class EvaluationSet
{
    public const string Tuning = "tuning";
    public const string HeldOut = "heldout";

    public static string Folder(string root) => Path.Combine(root, "bench", "topics");

    public static IReadOnlyList<LabelledPaper> Load(string root)
    {
        var folder = Folder(root);
        var labels = new Dictionary<string, IReadOnlySet<string>>();
        foreach (var line in File.ReadAllLines(Path.Combine(folder, "labels.tsv")))
        {
            if (line.Length == 0 || line.StartsWith('#'))
                continue;
            var columns = line.Split('\t');
            if (!labels.TryAdd(columns[0], columns[1].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToHashSet()))
                throw new InvalidDataException($"labels.tsv: {columns[0]} is labelled twice");
        }

        var papers = new List<LabelledPaper>();
        foreach (var file in Directory.GetFiles(folder, "*.txt").Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(file);
            var part = name.StartsWith(HeldOut, StringComparison.Ordinal) ? HeldOut : name.StartsWith(Tuning, StringComparison.Ordinal) ? Tuning : null;
            if (part is null)
                continue;
            var parsed = DigestParser.Parse(File.ReadAllText(file), DigestFormat.Text);
            if (parsed.Digest is not { } digest)
                throw new InvalidDataException($"{name}: {string.Join("; ", parsed.Errors.Select(e => $"line {e.Line}: {e.Message}"))}");
            foreach (var paper in digest.Papers)
            {
                var id = paper.ArxivId ?? throw new InvalidDataException($"{name}: paper {paper.Number} has no arXiv link");
                if (!labels.TryGetValue(id, out var topics))
                    throw new InvalidDataException($"{name}: paper {paper.Number} ({id}) has no labels in labels.tsv");
                papers.Add(new LabelledPaper(part, name, paper.Number, id, paper.Title, paper.Summary, topics));
            }
        }

        var unused = labels.Keys.Except(papers.Select(p => p.ArxivId)).ToList();
        if (unused.Count > 0)
            throw new InvalidDataException($"labels.tsv: no paper for {string.Join(", ", unused)}");
        return papers;
    }

    /// <summary>The repository root: the folder above the working directory (or the program) that holds Bot.sln.</summary>
    public static string FindRoot()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "Bot.sln")))
                    return directory.FullName;
            }
        }

        throw new InvalidOperationException("run the bench inside the repository (no Bot.sln above the working directory)");
    }
}
