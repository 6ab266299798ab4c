using System.Collections.Concurrent;
using PaperBot.Core.Topics;

namespace PaperBot.Bench.Topics;

/// <summary>
/// <c>topics stacked GROUPS</c>: a per-topic combiner of keyword score and model probability, fitted on probabilities the
/// model gave papers of writers it was not trained on, scored leaving one writer's group out (nested: the combiner for a
/// group is fitted on the other groups' out-of-group probabilities, never on the group itself).
/// </summary>
public static class TopicStacking
{
    /// <param name="fraction">The share of the other groups' papers the models train on (a learning curve); 1 for all.</param>
    /// <param name="errorsOf">Files whose mistakes under the shipped rule are listed, with the keywords found; none when null.</param>
    public static void Run(TopicCatalog catalog, List<string> slugs, List<LabelledPaper> tuning, string groupsArgument, bool perTopic, double fraction = 1, IReadOnlySet<string>? errorsOf = null)
    {
        var groups = WriterGroups.Parse(groupsArgument);
        var terms = new TermScores(catalog);
        var termScores = tuning.ToDictionary(p => p, p => terms.Score(p.Title, p.Summary));
        var features = tuning.ToDictionary(p => p, p => TextFeatures.Of(p.Title, p.Summary));

        // Models trained without one or two groups, each once (2 cores: two at a time).
        var keys = new List<(int, int)>();
        for (var a = 0; a < groups.Count; a++)
        {
            for (var b = a; b < groups.Count; b++)
                keys.Add((a, b));
        }

        // A stable hash (string.GetHashCode changes between runs), so that a fraction names the same papers every time.
        bool Kept(LabelledPaper p) => fraction >= 1 || (uint)p.ArxivId.Aggregate(17, (h, c) => unchecked((h * 31) + c)) % 1000 < fraction * 1000;
        var models = new ConcurrentDictionary<(int, int), TopicModel>();
        Parallel.ForEach(keys, new ParallelOptions { MaxDegreeOfParallelism = 2 }, key =>
            models[key] = TopicModel.Train(slugs, [.. tuning.Where(p => groups.Of(p) != key.Item1 && groups.Of(p) != key.Item2 && Kept(p)).Select(p => new TopicExample(features[p], p.Labels))]));
        TopicModel Without(int a, int b) => models[(Math.Min(a, b), Math.Max(a, b))];

        double[] Probabilities(TopicModel model, LabelledPaper p) => [.. slugs.Select(s => model.Probability(s, features[p]))];

        var variants = new List<(string Name, double L2, double Threshold, int Cap)>();
        foreach (var l2 in new[] { 0.01, 0.1 })
        {
            foreach (var threshold in new[] { 0.3, 0.4, 0.5 })
            {
                foreach (var cap in new[] { 3, 18 })
                    variants.Add(($"L2 {l2} p>={threshold} cap {cap}", l2, threshold, cap));
            }
        }

        var results = variants.ToDictionary(v => v.Name, _ => new List<(LabelledPaper, IReadOnlyList<string>)>());
        var shipped = new List<(LabelledPaper, IReadOnlyList<string>)>();
        for (var g = 0; g < groups.Count; g++)
        {
            var outOfGroup = new List<(LabelledPaper Paper, double[] Probabilities)>();
            for (var h = 0; h < groups.Count; h++)
            {
                if (h == g)
                    continue;
                var model = Without(g, h);
                outOfGroup.AddRange(tuning.Where(p => groups.Of(p) == h).Select(p => (p, Probabilities(model, p))));
            }

            var scored = tuning.Where(p => groups.Of(p) == g).Select(p => (Paper: p, Probabilities: Probabilities(Without(g, g), p))).ToList();
            foreach (var (paper, probabilities) in scored)
            {
                IReadOnlyList<TopicScoresOfPaper> scores = [.. slugs.Select((s, i) => new TopicScoresOfPaper(s, termScores[paper][i], probabilities[i], probabilities[i]))];
                shipped.Add((paper, new TopicTagger(catalog, TopicModel.Empty).Decide(scores)));
            }

            foreach (var variant in variants)
            {
                var combiners = slugs.Select((slug, i) => Combiner.Fit(
                    [.. outOfGroup.Select(o => (Combiner.Inputs(termScores[o.Paper][i], o.Probabilities[i]), o.Paper.Labels.Contains(slug)))], variant.L2)).ToList();
                foreach (var (paper, probabilities) in scored)
                {
                    var combined = slugs.Select((slug, i) => (Slug: slug, Terms: termScores[paper][i], P: combiners[i].Probability(Combiner.Inputs(termScores[paper][i], probabilities[i])))).Where(t => t.Terms >= 0).ToList();
                    var tagged = combined.Where(t => t.P >= variant.Threshold).OrderByDescending(t => t.P).Take(variant.Cap).Select(t => t.Slug).ToList();
                    if (tagged.Count == 0)
                        tagged.Add(combined.MaxBy(t => t.P).Slug);
                    results[variant.Name].Add((paper, tagged));
                }
            }
        }

        Console.WriteLine($"== stacked, leaving one group out: {groups.Describe(tuning)}");
        Print("shipped rule", Scores.Of(slugs, shipped), perTopic);
        for (var group = 0; group < groups.Count; group++)
            Print($"  {groups.Name(group)}", Scores.Of(slugs, [.. shipped.Where(r => groups.Of(r.Item1) == group)]), false);
        if (errorsOf is not null)
        {
            foreach (var (paper, predicted) in shipped.Where(r => errorsOf.Contains(Path.GetFileNameWithoutExtension(r.Item1.File))))
            {
                var missed = paper.Labels.Except(predicted).ToList();
                var extra = predicted.Except(paper.Labels).ToList();
                if (missed.Count + extra.Count == 0)
                    continue;
                var found = terms.Explain(paper.Title, paper.Summary);
                string Why(string slug) => $"{slug}({string.Join(" ", found[slugs.IndexOf(slug)])})";
                Console.WriteLine($"  {paper.File} {paper.Number,2} {paper.Title}: missed [{string.Join(",", missed.Select(Why))}] extra [{string.Join(",", extra.Select(Why))}]");
            }
        }

        foreach (var variant in variants)
            Print(variant.Name, Scores.Of(slugs, results[variant.Name]), perTopic);
    }

    private static void Print(string name, Scores scores, bool perTopic)
    {
        var lowest = scores.Topics.MinBy(t => t.Recall)!;
        Console.WriteLine($"{name,-30} P {TopicsBench.F(scores.Micro.Precision)} R {TopicsBench.F(scores.Micro.Recall)} F1 {TopicsBench.F(scores.Micro.F1)} min R {TopicsBench.F(lowest.Recall)} {lowest.Topic}");
        if (perTopic)
        {
            foreach (var t in scores.Topics)
                Console.WriteLine($"    {t.Topic,-18} {t.Labelled,4} {t.Predicted,4} {t.Correct,4} P {TopicsBench.F(t.Precision)} R {TopicsBench.F(t.Recall)}");
        }
    }

    /// <summary>One topic's logistic regression over the keyword score and the model's log-odds.</summary>
    private sealed record Combiner(double[] Weights)
    {
        public static double[] Inputs(double terms, double probability)
        {
            var logit = Math.Log(Math.Clamp(probability, 1e-4, 1 - 1e-4) / (1 - Math.Clamp(probability, 1e-4, 1 - 1e-4)));
            return [1, Math.Clamp(terms, -3, 6) / 3, Math.Clamp(logit, -8, 8) / 4, terms >= TermScores.Evident ? 1 : 0];
        }

        public double Probability(double[] inputs)
        {
            var z = 0.0;
            for (var i = 0; i < inputs.Length; i++)
                z += Weights[i] * inputs[i];
            return 1 / (1 + Math.Exp(-z));
        }

        public static Combiner Fit(IReadOnlyList<(double[] Inputs, bool Positive)> rows, double l2)
        {
            var weights = new double[rows[0].Inputs.Length];
            var gradient = new double[weights.Length];
            for (var epoch = 0; epoch < 3000; epoch++)
            {
                Array.Clear(gradient);
                foreach (var (inputs, positive) in rows)
                {
                    var z = 0.0;
                    for (var i = 0; i < inputs.Length; i++)
                        z += weights[i] * inputs[i];
                    var error = (1 / (1 + Math.Exp(-z))) - (positive ? 1 : 0);
                    for (var i = 0; i < inputs.Length; i++)
                        gradient[i] += error * inputs[i];
                }

                for (var i = 0; i < weights.Length; i++)
                    weights[i] -= 0.5 * ((gradient[i] / rows.Count) + (i == 0 ? 0 : l2 * weights[i]));
            }

            return new Combiner(weights);
        }
    }
}
