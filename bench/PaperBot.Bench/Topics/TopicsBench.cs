using System.Diagnostics;
using System.Globalization;
using PaperBot.Core.Topics;

namespace PaperBot.Bench.Topics;

/// <summary>
/// The topic tagger against the hand-labelled set in bench/topics, read with the product's own parser:
/// <code>
/// dotnet run -c Release --project bench/PaperBot.Bench -- topics [--part tuning|heldout|all] [--errors] [--out docs/benchmarks.md]
/// dotnet run -c Release --project bench/PaperBot.Bench -- topics train      (config/topic-model.json from the tuning part)
/// dotnet run -c Release --project bench/PaperBot.Bench -- topics compare [--trainings] [--topics]   (designs, cross-validated on the tuning part)
/// dotnet run -c Release --project bench/PaperBot.Bench -- topics designs "GROUP;GROUP…" [--topics]   (designs, leaving one writer's group out)
/// dotnet run -c Release --project bench/PaperBot.Bench -- topics stacked "GROUP;GROUP…" [--topics] [--fraction 0.5] [--errors FILES]   (per writer, a fitted combiner, a learning curve)
/// dotnet run -c Release --project bench/PaperBot.Bench -- topics neighbours "GROUP;GROUP…"   (the topics of alike papers by other hands, leaving one writer's group out)
/// dotnet run -c Release --project bench/PaperBot.Bench -- topics agreement   (labels.tsv against blind second labels)
/// dotnet run -c Release --project bench/PaperBot.Bench -- topics dump --out scores.tsv   (tuning evidence per paper and topic)
/// </code>
/// </summary>
public static class TopicsBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        var root = EvaluationSet.FindRoot();
        string? Value(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
        var papers = EvaluationSet.Load(root);
        var catalog = TopicCatalog.Load(Path.Combine(root, "config", "topics.json"));
        var slugs = catalog.All.Select(t => t.Slug).ToList();
        var modelPath = Path.Combine(root, "config", "topic-model.json");
        var tuning = papers.Where(p => p.Part == EvaluationSet.Tuning).ToList();

        switch (args.FirstOrDefault())
        {
            case "train":
                var clock = Stopwatch.StartNew();
                var trained = TopicModel.Train(slugs, Examples(tuning));
                await File.WriteAllTextAsync(modelPath, trained.ToJson() + "\n");
                Console.WriteLine($"trained on {tuning.Count} tuning papers in {clock.ElapsedMilliseconds} ms: {trained.WeightCount} weights, {new FileInfo(modelPath).Length / 1024} KiB → {modelPath}");
                return 0;
            case "compare":
                Compare(catalog, slugs, tuning, args);
                return 0;
            case "designs":
                TopicDesigns.Run(catalog, slugs, tuning, Value("designs") ?? throw new ArgumentException("topics designs GROUPS: file names without .txt, groups separated by ';'"), args.Contains("--topics"));
                return 0;
            case "neighbours":
                TopicNeighbours.Run(catalog, slugs, tuning, Value("neighbours") ?? throw new ArgumentException("topics neighbours GROUPS: file names without .txt, groups separated by ';'"));
                return 0;
            case "agreement":
                LabelAgreement.Run(root, papers, slugs);
                return 0;
            case "stacked":
                TopicStacking.Run(catalog, slugs, tuning, Value("stacked") ?? throw new ArgumentException("topics stacked GROUPS: file names without .txt, groups separated by ';'"), args.Contains("--topics"),
                    double.Parse(Value("--fraction") ?? "1", CultureInfo.InvariantCulture), Value("--errors")?.Split(',').ToHashSet());
                return 0;
            case "dump":
                await DumpAsync(catalog, slugs, tuning, Value("--out") ?? "topic-scores.tsv", Value("--validate")?.Split(',').ToHashSet());
                return 0;
        }

        var model = File.Exists(modelPath) ? TopicModel.Load(modelPath) : TopicModel.Empty;
        var tagger = new TopicTagger(catalog, model);
        // The held-out part is scored only when asked for by name: a plain run (or --errors) never shows it.
        var part = Value("--part") ?? EvaluationSet.Tuning;
        if (part is not (EvaluationSet.Tuning or EvaluationSet.HeldOut or "all"))
        {
            Console.Error.WriteLine($"--part: expected tuning, heldout or all, not '{part}'");
            return 2;
        }

        var report = new List<(string Part, Scores Scores)>();
        foreach (var name in new[] { EvaluationSet.Tuning, EvaluationSet.HeldOut })
        {
            if (part != "all" && part != name)
                continue;
            var results = papers.Where(p => p.Part == name).Select(p => (p, tagger.Tag(p.Title, p.Summary))).ToList();
            var scores = Scores.Of(slugs, results);
            report.Add((name, scores));
            Print(name, scores);
            // Mistakes are listed for the tuning part only: the held-out part is scored, never studied.
            if (args.Contains("--errors") && name == EvaluationSet.Tuning)
                PrintErrors(results);
        }

        if (Value("--out") is { } output)
        {
            await TopicsReport.WriteAsync(output, report, model.WeightCount);
            Console.WriteLine($"written to {output}");
        }

        return 0;
    }

    public static IReadOnlyList<TopicExample> Examples(IEnumerable<LabelledPaper> papers) =>
        [.. papers.Select(p => new TopicExample(TextFeatures.Of(p.Title, p.Summary), p.Labels))];

    /// <summary>
    /// Each design scored by 4-fold cross-validation on the tuning part: the model of each fold is trained on the
    /// other three quarters. The keywords were written with the whole tuning part in view, so their figures here
    /// are optimistic in every design alike; the comparison between designs is what this is for.
    /// </summary>
    private static void Compare(TopicCatalog catalog, List<string> slugs, List<LabelledPaper> tuning, string[] args)
    {
        const int folds = 4;
        // Deciding needs only the rule, so one tagger per rule serves every fold.
        IReadOnlyList<string> Rule(IReadOnlyList<TopicScoresOfPaper> scores, TaggingRule rule) => new TopicTagger(catalog, TopicModel.Empty, rule).Decide(scores);
        var designs = new (string Name, Func<TopicTagger, IReadOnlyList<TopicScoresOfPaper>, IReadOnlyList<string>> Decide)[]
        {
            ("keywords, evident only", (_, s) => [.. s.Where(x => x.Terms >= TermScores.Evident).Select(x => x.Slug)]),
            ("keywords + best-topic fallback", (t, s) => t.Decide([.. s.Select(x => x with { Model = null, Shipped = null })])),
            ("model alone (p >= 0.5)", (_, s) => [.. s.Where(x => x.Model >= 0.5).Select(x => x.Slug)]),
            ("keywords + model, no veto (round 2)", (_, s) => Rule(s, new TaggingRule(ModelVeto: 0))),
            ("keywords + model (shipped rule)", (_, s) => Rule(s, new TaggingRule())),
            ("fallback only at p >= 0.25 (round 3)", (_, s) => Rule(s, new TaggingRule(FallbackProbability: 0.25))),
            ("fallback only at p >= 0.1", (_, s) => Rule(s, new TaggingRule(FallbackProbability: 0.1))),
            ("veto below 0.05", (_, s) => Rule(s, new TaggingRule(ModelVeto: 0.05))),
            ("veto below 0.1", (_, s) => Rule(s, new TaggingRule(ModelVeto: 0.1))),
            ("veto below 0.2", (_, s) => Rule(s, new TaggingRule(ModelVeto: 0.2))),
            ("veto, sure at 4", (_, s) => Rule(s, new TaggingRule(Sure: 4))),
            ("veto, never sure", (_, s) => Rule(s, new TaggingRule(Sure: double.PositiveInfinity))),
            ("veto, evident at 2.5", (_, s) => Rule(s, new TaggingRule(Evident: 2.5))),
            ("veto, model agrees at 0.25", (_, s) => Rule(s, new TaggingRule(ModelWithMention: 0.25))),
        };
        var trainings = new List<(string Name, TrainingOptions Options)> { ("shipped training", new TrainingOptions()) };
        if (args.Contains("--trainings"))
        {
            trainings.AddRange([
                ("L2 0.003", new TrainingOptions(L2: 0.003)),
                ("L2 0.0003", new TrainingOptions(L2: 0.0003)),
                ("positives up to 10", new TrainingOptions(MaxPositiveWeight: 10)),
                ("positives up to 2", new TrainingOptions(MaxPositiveWeight: 2)),
                ("600 epochs", new TrainingOptions(Epochs: 600)),
                ("no pruning", new TrainingOptions(Prune: 0)),
            ]);
        }

        // --validate FILE,FILE…: one split instead of the folds — trained on the rest, scored on those files (a part
        // written by another hand than the keywords, the nearest thing to new papers the tuning part holds).
        var validate = args.SkipWhile(a => a != "--validate").Skip(1).FirstOrDefault()?.Split(',').ToHashSet();
        var splits = validate is null
            ? Enumerable.Range(0, folds).Select(fold => (Train: tuning.Where((_, i) => i % folds != fold).ToList(), Test: tuning.Where((_, i) => i % folds == fold).ToList())).ToList()
            : [(tuning.Where(p => !validate.Contains(p.File)).ToList(), tuning.Where(p => validate.Contains(p.File)).ToList())];

        foreach (var (training, options) in trainings)
        {
            var results = designs.ToDictionary(d => d.Name, _ => new List<(LabelledPaper, IReadOnlyList<string>)>());
            var trainingTime = TimeSpan.Zero;
            foreach (var (train, test) in splits)
            {
                var clock = Stopwatch.StartNew();
                var model = TopicModel.Train(slugs, Examples(train), options: options);
                trainingTime += clock.Elapsed;
                var tagger = new TopicTagger(catalog, model);
                foreach (var paper in test)
                {
                    var scores = tagger.Score(paper.Title, paper.Summary);
                    foreach (var (name, decide) in designs)
                        results[name].Add((paper, decide(tagger, scores)));
                }
            }

            PrintDesigns($"{training}; model training {trainingTime.TotalMilliseconds / splits.Count:0} ms per fold", designs.Select(d => d.Name), results);
        }

        if (!args.Contains("--mlnet"))
            return;
        var terms = new TermScores(catalog);
        var keywordsOnly = new TopicTagger(catalog, TopicModel.Empty);
        foreach (var kind in new[] { MlNetModels.LogisticRegression, MlNetModels.AveragedPerceptron })
        {
            var results = designs.ToDictionary(d => d.Name, _ => new List<(LabelledPaper, IReadOnlyList<string>)>());
            var clock = Stopwatch.StartNew();
            for (var fold = 0; fold < folds; fold++)
            {
                var test = tuning.Where((_, i) => i % folds == fold).ToList();
                var probabilities = MlNetModels.TrainAndPredict(kind, slugs, [.. tuning.Where((_, i) => i % folds != fold)], test);
                foreach (var paper in test)
                {
                    var termScores = terms.Score(paper.Title, paper.Summary);
                    IReadOnlyList<TopicScoresOfPaper> scores = [.. slugs.Select((slug, i) => new TopicScoresOfPaper(slug, termScores[i], probabilities[paper][slug], probabilities[paper][slug]))];
                    foreach (var (name, decide) in designs)
                        results[name].Add((paper, decide(keywordsOnly, scores)));
                }
            }

            PrintDesigns($"{kind} as the model; training {clock.Elapsed.TotalMilliseconds / folds:0} ms per fold", designs.Select(d => d.Name), results);
        }

        void PrintDesigns(string model, IEnumerable<string> names, Dictionary<string, List<(LabelledPaper, IReadOnlyList<string>)>> results)
        {
            Console.WriteLine(validate is null
                ? $"== designs, {folds}-fold cross-validation on the tuning part ({tuning.Count} papers), {model}"
                : $"== designs, trained on the rest of the tuning part and scored on {string.Join(", ", validate)}, {model}");
            Console.WriteLine($"{"design",-38} {"P",6} {"R",6} {"F1",6} {"no topic",8}");
            foreach (var name in names)
            {
                var scores = Scores.Of(slugs, results[name]);
                Console.WriteLine($"{name,-38} {F(scores.Micro.Precision),6} {F(scores.Micro.Recall),6} {F(scores.Micro.F1),6} {scores.Untagged.Count,8}");
            }

            if (args.Contains("--topics"))
                Print("shipped rule, per topic", Scores.Of(slugs, results["keywords + model (shipped rule)"]));
        }
    }

    /// <summary>
    /// Every tuning paper's evidence for every topic, for studying decision rules: keyword score and the probability
    /// of a model trained on the other folds (so that it is the model's opinion of a paper it has not seen).
    /// </summary>
    private static async Task DumpAsync(TopicCatalog catalog, List<string> slugs, List<LabelledPaper> tuning, string output, HashSet<string>? validate)
    {
        const int folds = 4;
        var terms = new TermScores(catalog);
        var lines = new List<string> { "file\tnumber\tfold\ttopic\tlabelled\tterms\ttitle_terms\tmodel\tkeywords\ttitle" };
        for (var fold = 0; fold < folds; fold++)
        {
            var model = TopicModel.Train(slugs, Examples(tuning.Where((_, i) => i % folds != fold && !(validate?.Contains(tuning[i].File) ?? false))));
            var tagger = new TopicTagger(catalog, model);
            foreach (var paper in tuning.Where((p, i) => validate is null ? i % folds == fold : fold == 0 && validate.Contains(p.File)))
            {
                var titleOnly = terms.Score(paper.Title, "");
                var found = terms.Explain(paper.Title, paper.Summary);
                foreach (var (s, i) in tagger.Score(paper.Title, paper.Summary).Select((s, i) => (s, i)))
                    lines.Add(FormattableString.Invariant($"{paper.File}\t{paper.Number}\t{fold}\t{s.Slug}\t{(paper.Labels.Contains(s.Slug) ? 1 : 0)}\t{s.Terms:0.###}\t{titleOnly[i]:0.###}\t{s.Model ?? 0:0.####}\t{string.Join(" ", found[i])}\t{paper.Title}"));
            }
        }

        await File.WriteAllLinesAsync(output, lines);
        Console.WriteLine($"{lines.Count - 1} rows → {output}");
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

    public static string F(double value) => value.ToString("0.00", CultureInfo.InvariantCulture);
}
