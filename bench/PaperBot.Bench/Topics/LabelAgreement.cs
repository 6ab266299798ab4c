namespace PaperBot.Bench.Topics;

/// <summary>
/// <c>topics agreement</c>: the hand labels of labels.tsv against second labels given blind (second-labels.tsv), per
/// digest file and over all — how far two labellers agree, the ceiling any tagger is measured under.
/// </summary>
public static class LabelAgreement
{
    public static void Run(string root, IReadOnlyList<LabelledPaper> papers, IReadOnlyList<string> slugs)
    {
        var second = new Dictionary<string, IReadOnlyList<string>>();
        foreach (var line in File.ReadAllLines(Path.Combine(EvaluationSet.Folder(root), "second-labels.tsv")))
        {
            if (line.Length == 0 || line.StartsWith('#'))
                continue;
            var columns = line.Split('\t');
            second[columns[0]] = columns[1].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        }

        var compared = papers.Where(p => second.ContainsKey(p.ArxivId)).Select(p => (Paper: p, Second: second[p.ArxivId])).ToList();
        foreach (var file in compared.GroupBy(c => c.Paper.File).OrderBy(g => g.Key, StringComparer.Ordinal))
            Print(file.Key, Scores.Of(slugs, [.. file.Select(c => (c.Paper, c.Second))]), file.Count(c => c.Paper.Labels.SetEquals(c.Second)));
        Print("all", Scores.Of(slugs, [.. compared.Select(c => (c.Paper, c.Second))]), compared.Count(c => c.Paper.Labels.SetEquals(c.Second)));
    }

    private static void Print(string name, Scores scores, int same) =>
        Console.WriteLine($"{name,-16} {scores.Papers,4} papers, {same,4} labelled alike: second labels against the first P {TopicsBench.F(scores.Micro.Precision)} R {TopicsBench.F(scores.Micro.Recall)} F1 {TopicsBench.F(scores.Micro.F1)}");
}
