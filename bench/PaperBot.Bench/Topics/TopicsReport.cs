using System.Globalization;

namespace PaperBot.Bench.Topics;

/// <summary>Writes the "Topic tagging" section of docs/benchmarks.md, replacing the one there and keeping the rest.</summary>
public static class TopicsReport
{
    public static async Task WriteAsync(string path, IReadOnlyList<(string Part, Scores Scores)> parts, int modelWeights)
    {
        var section = new System.Text.StringBuilder();
        section.AppendLine(BenchmarksDoc.Topics).AppendLine();
        section.AppendLine("Produced by `dotnet run -c Release --project bench/PaperBot.Bench -- topics --part all --out docs/benchmarks.md`: the");
        section.AppendLine("product's tagger (keywords of `config/topics.json` and the model `config/topic-model.json`, offline) on the evaluation");
        section.AppendLine("set in `bench/topics` (digests in the sample's text format read with the product's parser, hand labels in `labels.tsv`).");
        section.AppendLine("The held-out part was written, labelled and committed before the round of changes it scores, and no keyword, weight,");
        section.AppendLine("rule or model was fitted to it. The tuning part's figures include keywords written with it in view and the model");
        section.AppendLine("trained on it, so they are not an estimate of quality on new papers; the held-out figures are.").AppendLine();
        section.AppendLine(CultureInfo.InvariantCulture, $"- Date: {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        section.AppendLine(CultureInfo.InvariantCulture, $"- Machine: {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}");
        section.AppendLine(CultureInfo.InvariantCulture, $"- Model: {modelWeights} weights").AppendLine();
        foreach (var (part, scores) in parts)
        {
            section.AppendLine(CultureInfo.InvariantCulture, $"### {(part == EvaluationSet.HeldOut ? "Held-out part" : "Tuning part")}: {scores.Papers} papers, {scores.Untagged.Count} with no topic").AppendLine();
            section.AppendLine("| topic | labels | tagged | right | precision | recall | F1 |");
            section.AppendLine("|---|---|---|---|---|---|---|");
            foreach (var t in scores.Topics)
                section.AppendLine(CultureInfo.InvariantCulture, $"| {t.Topic} | {t.Labelled} | {t.Predicted} | {t.Correct} | {TopicsBench.F(t.Precision)} | {TopicsBench.F(t.Recall)} | {TopicsBench.F(t.F1)} |");
            var m = scores.Micro;
            section.AppendLine(CultureInfo.InvariantCulture, $"| **micro** | {m.Labelled} | {m.Predicted} | {m.Correct} | **{TopicsBench.F(m.Precision)}** | **{TopicsBench.F(m.Recall)}** | **{TopicsBench.F(m.F1)}** |").AppendLine();
        }

        await BenchmarksDoc.WriteAsync(path, BenchmarksDoc.Topics, section.ToString());
    }
}
