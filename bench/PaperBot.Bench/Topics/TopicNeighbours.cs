using System.Collections.Concurrent;
using PaperBot.Core.Topics;

namespace PaperBot.Bench.Topics;

/// <summary>
/// <c>topics neighbours GROUPS</c>: the topics of the most alike papers written by other hands (cosine over the model's
/// features weighted by inverse document frequency, votes weighted by similarity) as evidence alone, blended into the
/// model's probability, added to the shipped rule or vetoing it; scored leaving one writer out (<see cref="WriterGroups"/>).
/// </summary>
public static class TopicNeighbours
{
    public static void Run(TopicCatalog catalog, List<string> slugs, List<LabelledPaper> tuning, string groupsArgument)
    {
        var groups = WriterGroups.Parse(groupsArgument);
        var terms = new TermScores(catalog);
        var termScores = tuning.ToDictionary(p => p, p => terms.Score(p.Title, p.Summary));
        var features = tuning.ToDictionary(p => p, p => TextFeatures.Of(p.Title, p.Summary));
        var tagger = new TopicTagger(catalog, TopicModel.Empty);
        var models = new ConcurrentDictionary<int, TopicModel>();
        Parallel.For(0, groups.Count, new ParallelOptions { MaxDegreeOfParallelism = 2 }, g =>
            models[g] = TopicModel.Train(slugs, [.. tuning.Where(p => groups.Of(p) != g).Select(p => new TopicExample(features[p], p.Labels))]));

        var results = new SortedDictionary<string, List<(LabelledPaper, IReadOnlyList<string>)>>(StringComparer.Ordinal);
        void Add(string design, LabelledPaper paper, IReadOnlyList<string> tagged)
        {
            if (!results.TryGetValue(design, out var list))
                results[design] = list = [];
            list.Add((paper, tagged));
        }

        for (var g = 0; g < groups.Count; g++)
        {
            var others = tuning.Where(p => groups.Of(p) != g).ToList();
            var weigh = Weighting(others.Select(p => features[p]).ToList());
            var vectors = others.Select(p => (Paper: p, Vector: weigh(features[p]))).ToList();
            foreach (var paper in tuning.Where(p => groups.Of(p) == g))
            {
                var vector = weigh(features[paper]);
                var alike = vectors.Select(o => (o.Paper, Similarity: Cosine(vector, o.Vector))).OrderByDescending(o => o.Similarity).ToList();
                var probabilities = slugs.Select(s => models[g].Probability(s, features[paper])).ToArray();
                IReadOnlyList<TopicScoresOfPaper> Evidence(Func<int, double> probability) =>
                    [.. slugs.Select((s, i) => new TopicScoresOfPaper(s, termScores[paper][i], probability(i), probability(i)))];
                var ruled = tagger.Decide(Evidence(i => probabilities[i]));
                Add("  shipped rule", paper, ruled);
                foreach (var k in new[] { 5, 10, 20 })
                {
                    var nearest = alike.Take(k).ToList();
                    var total = nearest.Sum(n => n.Similarity);
                    var votes = slugs.Select(s => nearest.Where(n => n.Paper.Labels.Contains(s)).Sum(n => n.Similarity) / total).ToArray();
                    var voted = slugs.Where((s, i) => votes[i] >= 0.3 && termScores[paper][i] >= 0).ToList();
                    Add($"{k,2} alike: votes >= 0.3 alone", paper, voted.Count > 0 ? voted : [slugs[Array.IndexOf(votes, votes.Max())]]);
                    Add($"{k,2} alike: votes blended half into the model", paper, tagger.Decide(Evidence(i => (probabilities[i] + votes[i]) / 2)));
                    Add($"{k,2} alike: rule, and votes >= 0.6", paper, [.. ruled.Union(slugs.Where((s, i) => votes[i] >= 0.6 && termScores[paper][i] >= 0))]);
                    var kept = ruled.Where(s => votes[slugs.IndexOf(s)] >= 0.1 || termScores[paper][slugs.IndexOf(s)] >= TermScores.Evident + 1).ToList();
                    Add($"{k,2} alike: rule, vetoed by votes < 0.1", paper, kept.Count > 0 || ruled.Count == 0 ? kept : [ruled[0]]);
                }
            }
        }

        Console.WriteLine($"== neighbours, leaving one group out: {groups.Describe(tuning)}");
        foreach (var (design, tagged) in results)
        {
            var scores = Scores.Of(slugs, tagged);
            var lowest = scores.Topics.MinBy(t => t.Recall)!;
            Console.WriteLine($"{design,-46} P {TopicsBench.F(scores.Micro.Precision)} R {TopicsBench.F(scores.Micro.Recall)} F1 {TopicsBench.F(scores.Micro.F1)} none {scores.Untagged.Count,2} min R {TopicsBench.F(lowest.Recall)} {lowest.Topic}");
        }
    }

    /// <summary>Features weighted by their inverse document frequency over <paramref name="papers"/>, scaled to length 1.</summary>
    private static Func<IReadOnlyDictionary<int, double>, Dictionary<int, double>> Weighting(List<IReadOnlyDictionary<int, double>> papers)
    {
        var documents = new Dictionary<int, int>();
        foreach (var feature in papers.SelectMany(p => p.Keys))
            documents[feature] = documents.GetValueOrDefault(feature) + 1;
        return paper =>
        {
            var weighted = paper.ToDictionary(f => f.Key, f => f.Value * Math.Log((papers.Count + 1.0) / (documents.GetValueOrDefault(f.Key) + 1)));
            var length = Math.Sqrt(weighted.Values.Sum(v => v * v));
            return weighted.ToDictionary(f => f.Key, f => f.Value / length);
        };
    }

    private static double Cosine(Dictionary<int, double> a, Dictionary<int, double> b) =>
        a.Sum(f => b.TryGetValue(f.Key, out var v) ? f.Value * v : 0);
}
