namespace PaperBot.Bench.Topics;

public sealed record TopicScore(string Topic, int Labelled, int Predicted, int Correct)
{
    public double Precision => Predicted == 0 ? (Labelled == 0 ? 1 : 0) : (double)Correct / Predicted;
    public double Recall => Labelled == 0 ? 1 : (double)Correct / Labelled;
    public double F1 => Precision + Recall == 0 ? 0 : 2 * Precision * Recall / (Precision + Recall);
}

/// <summary>Per-topic and micro-averaged precision, recall and F1 of predicted topics against hand labels.</summary>
public sealed record Scores(IReadOnlyList<TopicScore> Topics, TopicScore Micro, IReadOnlyList<LabelledPaper> Untagged, int Papers)
{
    public static Scores Of(IReadOnlyList<string> catalogue, IReadOnlyList<(LabelledPaper Paper, IReadOnlyList<string> Predicted)> results)
    {
        var topics = catalogue.Select(topic => new TopicScore(
            topic,
            results.Count(r => r.Paper.Labels.Contains(topic)),
            results.Count(r => r.Predicted.Contains(topic)),
            results.Count(r => r.Paper.Labels.Contains(topic) && r.Predicted.Contains(topic)))).ToList();
        var micro = new TopicScore("micro", topics.Sum(t => t.Labelled), topics.Sum(t => t.Predicted), topics.Sum(t => t.Correct));
        return new Scores(topics, micro, results.Where(r => r.Predicted.Count == 0).Select(r => r.Paper).ToList(), results.Count);
    }
}
