using Microsoft.ML;
using Microsoft.ML.Transforms.Text;

namespace PaperBot.Bench.Topics;

/// <summary>
/// ML.NET's own text classifiers in place of the product's hand-rolled model, for `topics compare --mlnet` only:
/// character 1–3-grams and words of title and summary (FeaturizeText), one binary classifier per topic, positives
/// weighed up as the product's model does. Measured against it, not shipped.
/// </summary>
public static class MlNetModels
{
    public const string LogisticRegression = "ML.NET L-BFGS logistic regression";
    public const string AveragedPerceptron = "ML.NET averaged perceptron (Platt)";

    private sealed class Row
    {
        public string Text { get; set; } = string.Empty;

        public bool Label { get; set; }

        public float Weight { get; set; } = 1;
    }

    private sealed class Prediction
    {
        public float Probability { get; set; }
    }

    /// <summary>Trains one classifier per topic on <paramref name="train"/>; returns each test paper's probability per topic.</summary>
    public static Dictionary<LabelledPaper, Dictionary<string, double>> TrainAndPredict(string kind, IReadOnlyList<string> slugs, IReadOnlyList<LabelledPaper> train, IReadOnlyList<LabelledPaper> test)
    {
        var ml = new MLContext(seed: 1);
        var options = new TextFeaturizingEstimator.Options
        {
            CharFeatureExtractor = new WordBagEstimator.Options { NgramLength = 3, UseAllLengths = true },
            WordFeatureExtractor = new WordBagEstimator.Options { NgramLength = 1 },
            Norm = TextFeaturizingEstimator.NormFunction.L2,
            CaseMode = TextNormalizingEstimator.CaseMode.Lower,
        };
        static string Text(LabelledPaper p) => p.Title + "\n" + p.Title + "\n" + p.Summary;
        var featurizer = ml.Transforms.Text.FeaturizeText("Features", options, nameof(Row.Text))
            .Fit(ml.Data.LoadFromEnumerable(train.Select(p => new Row { Text = Text(p) })));
        var testData = featurizer.Transform(ml.Data.LoadFromEnumerable(test.Select(p => new Row { Text = Text(p) })));
        var result = test.ToDictionary(p => p, _ => new Dictionary<string, double>());
        foreach (var slug in slugs)
        {
            var positives = train.Count(p => p.Labels.Contains(slug));
            var weight = positives == 0 ? 1 : Math.Clamp((train.Count - positives) / (float)positives, 1, 5);
            var rows = train.Select(p => new Row { Text = Text(p), Label = p.Labels.Contains(slug), Weight = p.Labels.Contains(slug) ? weight : 1 });
            var trainData = featurizer.Transform(ml.Data.LoadFromEnumerable(rows));
            ITransformer model = kind switch
            {
                LogisticRegression => ml.BinaryClassification.Trainers.LbfgsLogisticRegression("Label", "Features", exampleWeightColumnName: nameof(Row.Weight)).Fit(trainData),
                AveragedPerceptron => ml.BinaryClassification.Trainers.AveragedPerceptron("Label", "Features", numberOfIterations: 20)
                    .Append(ml.BinaryClassification.Calibrators.Platt("Label")).Fit(trainData),
                _ => throw new ArgumentOutOfRangeException(nameof(kind)),
            };
            var predictions = ml.Data.CreateEnumerable<Prediction>(model.Transform(testData), reuseRowObject: false).ToList();
            for (var i = 0; i < test.Count; i++)
                result[test[i]][slug] = predictions[i].Probability;
        }

        return result;
    }
}
