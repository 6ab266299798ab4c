using System.Globalization;
using PaperBot.Core.Topics;

namespace PaperBot.Bench.Topics;

/// <summary>
/// dotnet run -c Release --project bench/PaperBot.Bench -- topics [--part tuning|heldout] [--errors]
/// Scores the product's tagger (the product's parser reading bench/topics) against the hand labels.
/// </summary>
public static class TopicsBench
{
    public static Task<int> RunAsync(string[] args)
    {
        var root = EvaluationSet.FindRoot();
        string? Value(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
        var part = Value("--part");
        var papers = EvaluationSet.Load(root);
        var catalog = TopicCatalog.Load(Path.Combine(root, "config", "topics.json"));
        var tagger = new TopicTagger(catalog);
        var slugs = catalog.All.Select(t => t.Slug).ToList();

        foreach (var name in new[] { EvaluationSet.Tuning, EvaluationSet.HeldOut })
        {
            if (part is not null && part != name)
                continue;
            var results = papers.Where(p => p.Part == name).Select(p => (p, tagger.Tag(p.Title, p.Summary))).ToList();
            var scores = Scores.Of(slugs, results);
            Print(name, scores);
            // Mistakes are listed for the tuning part only: the held-out part is scored, never studied.
            if (args.Contains("--errors") && name == EvaluationSet.Tuning)
                PrintErrors(results);
        }

        return Task.FromResult(0);
    }

    private static void Print(string part, Scores scores)
    {
        Console.WriteLine($"== {part}: {scores.Papers} papers, {scores.Untagged.Count} with no topic");
        Console.WriteLine($"{"topic",-18} {"labels",6} {"tagged",6} {"right",6} {"P",6} {"R",6} {"F1",6}");
        foreach (var t in scores.Topics.Append(scores.Micro))
            Console.WriteLine($"{t.Topic,-18} {t.Labelled,6} {t.Predicted,6} {t.Correct,6} {F(t.Precision),6} {F(t.Recall),6} {F(t.F1),6}");
        foreach (var paper in scores.Untagged)
            Console.WriteLine($"  no topic: {paper.File} {paper.Number} {paper.Title}");
    }

    private static void PrintErrors(IEnumerable<(LabelledPaper Paper, IReadOnlyList<string> Predicted)> results)
    {
        foreach (var (paper, predicted) in results)
        {
            var missed = paper.Labels.Except(predicted).ToList();
            var wrong = predicted.Except(paper.Labels).ToList();
            if (missed.Count + wrong.Count > 0)
                Console.WriteLine($"  {paper.File} {paper.Number,2} {paper.Title}: missed [{string.Join(",", missed)}] extra [{string.Join(",", wrong)}]");
        }
    }

    private static string F(double value) => value.ToString("0.00", CultureInfo.InvariantCulture);
}
