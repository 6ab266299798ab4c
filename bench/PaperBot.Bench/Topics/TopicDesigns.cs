using System.Text;
using PaperBot.Core.Topics;

namespace PaperBot.Bench.Topics;

/// <summary>
/// <c>topics designs GROUPS</c>: feature sets, trainings and decision rules scored leaving one writer out
/// (<see cref="WriterGroups"/>): each group, written by one hand, is scored by a model trained on every other tuning
/// paper, and the scores add up over the groups. A group written by another hand than the keywords' author is the nearest thing to new papers
/// that tuning holds; the figures here choose a design, the held-out part then judges it once.
/// </summary>
public static class TopicDesigns
{
    private sealed record FeatureSet(string Name, Func<string, string, double[], IReadOnlyDictionary<int, double>> Of);

    public static void Run(TopicCatalog catalog, List<string> slugs, List<LabelledPaper> tuning, string groupsArgument, bool perTopic)
    {
        var groups = WriterGroups.Parse(groupsArgument);
        var terms = new TermScores(catalog);
        var termScores = tuning.ToDictionary(p => p, p => terms.Score(p.Title, p.Summary));

        var featureSets = new[]
        {
            new FeatureSet("pairs+words (shipped)", (t, s, _) => TextFeatures.Of(t, s)),
            new FeatureSet("+ keyword scores", (t, s, k) => WithKeywords(TextFeatures.Of(t, s), k)),
            new FeatureSet("+ trigrams", (t, s, _) => WithTrigrams(TextFeatures.Of(t, s), t, s)),
            new FeatureSet("+ jieba words", (t, s, _) => WithJiebaWords(TextFeatures.Of(t, s), t, s, latinToo: false)),
            new FeatureSet("jieba words for pairs", (t, s, _) => WithJiebaWords(new Dictionary<int, double>(), t, s, latinToo: true)),
        };
        var trainings = new (string Name, TrainingOptions Options)[]
        {
            ("shipped", new TrainingOptions()),
            ("L2 0.003", new TrainingOptions(L2: 0.003)),
            ("L2 0.0003", new TrainingOptions(L2: 0.0003)),
        };
        var rules = new (string Name, Func<IReadOnlyList<TopicScoresOfPaper>, IReadOnlyList<string>> Decide)[]
        {
            ("shipped rule", s => Decide(catalog, s, new TaggingRule())),
            ("at most 3 topics", s => AtMost(catalog, s, 3)),
            ("at most 2 topics", s => AtMost(catalog, s, 2)),
            ("within 0.3 of the best", s => NearTheBest(catalog, s, 0.3)),
            ("within 0.5 of the best", s => NearTheBest(catalog, s, 0.5)),
            ("within 0.7 of the best", s => NearTheBest(catalog, s, 0.7)),
            ("model alone at 0.6", s => Decide(catalog, s, new TaggingRule(ModelAlone: 0.6))),
            ("model alone at 0.5", s => Decide(catalog, s, new TaggingRule(ModelAlone: 0.5))),
            ("model alone at 0.4", s => Decide(catalog, s, new TaggingRule(ModelAlone: 0.4))),
            ("veto 0.25", s => Decide(catalog, s, new TaggingRule(ModelVeto: 0.25))),
            ("veto 0.25, alone 0.5", s => Decide(catalog, s, new TaggingRule(ModelVeto: 0.25, ModelAlone: 0.5))),
            ("stricter eff., data-eff.: ev 2.5", s => Stricter(catalog, s, ["efficiency", "data-efficiency"], new TaggingRule(Evident: 2.5))),
            ("stricter eff., data-eff.: veto 0.35", s => Stricter(catalog, s, ["efficiency", "data-efficiency"], new TaggingRule(ModelVeto: 0.35))),
            ("stricter four: veto 0.35", s => Stricter(catalog, s, ["efficiency", "data-efficiency", "multimodal", "alignment"], new TaggingRule(ModelVeto: 0.35))),
            ("stricter four: ev 3", s => Stricter(catalog, s, ["efficiency", "data-efficiency", "multimodal", "alignment"], new TaggingRule(Evident: 3))),
            ("model only p>=0.5 + best", s => ModelOnly(s, 0.5)),
            ("model only p>=0.4 + best", s => ModelOnly(s, 0.4)),
            ("model only p>=0.3 + best", s => ModelOnly(s, 0.3)),
        };

        Console.WriteLine($"== designs, leaving one group out: {groups.Describe(tuning)}");
        Console.WriteLine($"{"features",-24} {"training",-10} {"rule",-36} {"P",6} {"R",6} {"F1",6} {"none",5} {"min R",8}");
        foreach (var features in featureSets)
        {
            var rows = tuning.ToDictionary(p => p, p => features.Of(p.Title, p.Summary, termScores[p]));
            foreach (var (trainingName, options) in trainings)
            {
                var results = rules.ToDictionary(r => r.Name, _ => new List<(LabelledPaper, IReadOnlyList<string>)>());
                for (var group = 0; group < groups.Count; group++)
                {
                    var model = TopicModel.Train(slugs, [.. tuning.Where(p => groups.Of(p) != group).Select(p => new TopicExample(rows[p], p.Labels))], options: options);
                    foreach (var paper in tuning.Where(p => groups.Of(p) == group))
                    {
                        IReadOnlyList<TopicScoresOfPaper> scores = [.. slugs.Select((slug, i) =>
                        {
                            var probability = model.Probability(slug, rows[paper]);
                            return new TopicScoresOfPaper(slug, termScores[paper][i], probability, probability);
                        })];
                        foreach (var (name, decide) in rules)
                            results[name].Add((paper, decide(scores)));
                    }
                }

                foreach (var (name, _) in rules)
                {
                    var scores = Scores.Of(slugs, results[name]);
                    var lowest = scores.Topics.MinBy(t => t.Recall)!;
                    Console.WriteLine($"{features.Name,-24} {trainingName,-10} {name,-36} {TopicsBench.F(scores.Micro.Precision),6} {TopicsBench.F(scores.Micro.Recall),6} {TopicsBench.F(scores.Micro.F1),6} {scores.Untagged.Count,5} {TopicsBench.F(lowest.Recall)} {lowest.Topic}");
                    if (perTopic && name == "shipped rule" && trainingName == "shipped")
                    {
                        foreach (var t in scores.Topics)
                            Console.WriteLine($"    {t.Topic,-18} {t.Labelled,4} {t.Predicted,4} {t.Correct,4} P {TopicsBench.F(t.Precision)} R {TopicsBench.F(t.Recall)}");
                    }
                }
            }
        }
    }

    private static IReadOnlyList<string> Decide(TopicCatalog catalog, IReadOnlyList<TopicScoresOfPaper> scores, TaggingRule rule) =>
        new TopicTagger(catalog, TopicModel.Empty, rule).Decide(scores);

    /// <summary>
    /// The shipped rule, with a stricter one for the topics tagged most often wrongly (<c>topics stacked --topics</c>: about
    /// a third of efficiency's and data-efficiency's tags, from words other papers use in passing).
    /// </summary>
    private static List<string> Stricter(TopicCatalog catalog, IReadOnlyList<TopicScoresOfPaper> scores, string[] topics, TaggingRule stricter)
    {
        var shipped = Decide(catalog, scores, new TaggingRule());
        var strict = Decide(catalog, scores, stricter);
        var tagged = shipped.Where(t => !topics.Contains(t) || strict.Contains(t)).ToList();
        return tagged.Count > 0 ? tagged : [.. shipped.Take(1)];
    }

    /// <summary>How strongly a topic is supported: its keyword score in units of the evident score (at most 2), plus the model's probability.</summary>
    private static double Support(IReadOnlyList<TopicScoresOfPaper> scores, string slug)
    {
        var score = scores.First(s => s.Slug == slug);
        return Math.Min(score.Terms / TermScores.Evident, 2) + (score.Model ?? 0);
    }

    /// <summary>The guide says "usually 1–3": the shipped rule's topics, the best-supported ones only.</summary>
    private static List<string> AtMost(TopicCatalog catalog, IReadOnlyList<TopicScoresOfPaper> scores, int count) =>
        [.. Decide(catalog, scores, new TaggingRule()).OrderByDescending(t => Support(scores, t)).Take(count)];

    /// <summary>The shipped rule's topics whose support is at least a share of the best one's.</summary>
    private static List<string> NearTheBest(TopicCatalog catalog, IReadOnlyList<TopicScoresOfPaper> scores, double share)
    {
        var tagged = Decide(catalog, scores, new TaggingRule());
        if (tagged.Count == 0)
            return [];
        var best = tagged.Max(t => Support(scores, t));
        return [.. tagged.Where(t => Support(scores, t) >= share * best)];
    }

    private static List<string> ModelOnly(IReadOnlyList<TopicScoresOfPaper> scores, double threshold)
    {
        var tagged = scores.Where(s => s.Terms >= 0 && s.Model >= threshold).Select(s => s.Slug).ToList();
        return tagged.Count > 0 ? tagged : [scores.Where(s => s.Terms >= 0).MaxBy(s => s.Model ?? 0)!.Slug];
    }

    /// <summary>Each topic's keyword score as a feature of its own, so the model learns how far to trust it.</summary>
    private static Dictionary<int, double> WithKeywords(IReadOnlyDictionary<int, double> text, double[] keywordScores)
    {
        var features = new Dictionary<int, double>(text);
        for (var i = 0; i < keywordScores.Length; i++)
        {
            if (keywordScores[i] != 0)
                features[Feature($"kw:{i}")] = Math.Clamp(keywordScores[i], -4, 4) / 4;
        }

        return features;
    }

    /// <summary>
    /// Words as jieba.NET segments them (the issue's suggestion), hashed as the product hashes its features: beside the
    /// character pairs, or in their place with the Latin words too. Measured here only; the dictionary alone holds
    /// about 34 MiB of managed memory once loaded.
    /// </summary>
    private static Dictionary<int, double> WithJiebaWords(IReadOnlyDictionary<int, double> text, string title, string summary, bool latinToo)
    {
        var features = new Dictionary<int, double>(text);
        foreach (var (part, value) in new[] { ("tw", title), ("sw", summary) })
        {
            var words = new HashSet<int>();
            foreach (var cut in Jieba.Value.Cut(value.Normalize(NormalizationForm.FormKC)))
            {
                var word = cut.Trim().ToLowerInvariant();
                var kept = word.Any(IsIdeograph)
                    ? word.Length > 1 || latinToo
                    : latinToo && word.Length > 1 && word.All(char.IsAsciiLetterOrDigit);
                if (kept)
                    words.Add(Feature($"{part}:{word}"));
            }

            foreach (var word in words)
                features[word] = features.GetValueOrDefault(word) + (1 / Math.Sqrt(words.Count));
        }

        return features;
    }

    private static readonly Lazy<JiebaNet.Segmenter.JiebaSegmenter> Jieba = new(() => new JiebaNet.Segmenter.JiebaSegmenter());

    /// <summary>Chinese character triples, title and summary apart, each part scaled to length 1.</summary>
    private static Dictionary<int, double> WithTrigrams(IReadOnlyDictionary<int, double> text, string title, string summary)
    {
        var features = new Dictionary<int, double>(text);
        foreach (var (part, value) in new[] { ("t3", title), ("s3", summary) })
        {
            var grams = new HashSet<int>();
            var chars = value.Normalize(NormalizationForm.FormKC);
            for (var i = 0; i + 2 < chars.Length; i++)
            {
                if (IsIdeograph(chars[i]) && IsIdeograph(chars[i + 1]) && IsIdeograph(chars[i + 2]))
                    grams.Add(Feature($"{part}:{chars.Substring(i, 3)}"));
            }

            foreach (var gram in grams)
                features[gram] = features.GetValueOrDefault(gram) + (1 / Math.Sqrt(grams.Count));
        }

        return features;
    }

    private static bool IsIdeograph(char c) => c is >= '\u4E00' and <= '\u9FFF' or >= '\u3400' and <= '\u4DBF';

    private static int Feature(string name)
    {
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(name))
            hash = (hash ^ b) * 16777619u;
        return (int)(hash % TextFeatures.Buckets);
    }
}
