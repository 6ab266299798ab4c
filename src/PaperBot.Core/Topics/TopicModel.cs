using System.Globalization;
using System.Text.Json;

namespace PaperBot.Core.Topics;

/// <summary>A paper's text features with the topics it has, and how much the example counts in training.</summary>
public sealed record TopicExample(IReadOnlyDictionary<int, double> Features, IReadOnlySet<string> Topics, double Weight = 1);

/// <summary>
/// A multi-label linear model: one logistic regression per topic over <see cref="TextFeatures"/>. Small on
/// purpose (a few thousand non-zero weights, trained in well under a second), so it can be retrained in
/// process from the shipped model and editors' corrections.
/// <para>File format (config/topic-model.json): <c>{"topics": {"moe": {"bias": -2.1, "weights": {"1234": 0.53, …}}, …}}</c>.</para>
/// </summary>
public sealed class TopicModel
{
    private readonly Dictionary<string, (double Bias, Dictionary<int, double> Weights)> topics;

    private TopicModel(Dictionary<string, (double Bias, Dictionary<int, double> Weights)> topics) => this.topics = topics;

    public static readonly TopicModel Empty = new([]);

    public IReadOnlyCollection<string> Topics => topics.Keys;

    public int WeightCount => topics.Values.Sum(t => t.Weights.Count);

    /// <summary>Whether the model was trained on <paramref name="topic"/> (a topic added to the catalogue later was not).</summary>
    public bool Knows(string topic) => topics.ContainsKey(topic);

    /// <summary>The probability that the paper is about <paramref name="topic"/>; 0 for a topic the model does not know.</summary>
    public double Probability(string topic, IReadOnlyDictionary<int, double> features)
    {
        if (!topics.TryGetValue(topic, out var model))
            return 0;
        var z = model.Bias;
        foreach (var (feature, value) in features)
            z += model.Weights.GetValueOrDefault(feature) * value;
        return 1 / (1 + Math.Exp(-z));
    }

    /// <summary>
    /// Trains one logistic regression per topic by gradient descent on the weighted log loss plus an L2 pull
    /// towards <paramref name="prior"/> (towards zero without one), so that a few corrections move a shipped
    /// model instead of replacing it. Deterministic: the same examples give the same model.
    /// </summary>
    public static TopicModel Train(IReadOnlyList<string> topicSlugs, IReadOnlyList<TopicExample> examples, TopicModel? prior = null, TrainingOptions? options = null)
    {
        options ??= new TrainingOptions();
        // Features renumbered densely (only those the examples use) so that the loops run over arrays.
        var index = new Dictionary<int, int>();
        var rows = examples.Select(e => (
            Features: e.Features.Select(f => (Index: index.TryGetValue(f.Key, out var i) ? i : index[f.Key] = index.Count, f.Value)).ToArray(),
            e.Topics,
            e.Weight)).ToList();
        var features = index.OrderBy(f => f.Value).Select(f => f.Key).ToArray();
        var total = rows.Sum(r => r.Weight);

        var trained = new Dictionary<string, (double, Dictionary<int, double>)>();
        foreach (var topic in topicSlugs)
        {
            var start = prior is not null && prior.topics.TryGetValue(topic, out var p) ? p : (Bias: 0.0, Weights: new Dictionary<int, double>());
            var anchor = features.Select(f => start.Weights.GetValueOrDefault(f)).ToArray();
            var weights = (double[])anchor.Clone();
            var bias = start.Bias;
            var positives = rows.Where(r => r.Topics.Contains(topic)).Sum(r => r.Weight);
            var negatives = total - positives;
            // Few papers have any one topic; weighing positives up keeps the model from learning "never".
            var positiveWeight = positives == 0 ? 1 : Math.Clamp(negatives / positives, 1, options.MaxPositiveWeight);
            var gradient = new double[features.Length];
            for (var epoch = 0; epoch < options.Epochs && total > 0; epoch++)
            {
                Array.Clear(gradient);
                var biasGradient = 0.0;
                foreach (var row in rows)
                {
                    var positive = row.Topics.Contains(topic);
                    var z = bias;
                    foreach (var (i, value) in row.Features)
                        z += weights[i] * value;
                    var error = (1 / (1 + Math.Exp(-z))) - (positive ? 1 : 0);
                    var scale = row.Weight * (positive ? positiveWeight : 1) * error;
                    biasGradient += scale;
                    foreach (var (i, value) in row.Features)
                        gradient[i] += scale * value;
                }

                if (options.TrainBias)
                    bias -= options.LearningRate * biasGradient / total;
                for (var i = 0; i < weights.Length; i++)
                    weights[i] -= options.LearningRate * ((gradient[i] / total) + (options.L2 * (weights[i] - anchor[i])));
            }

            var result = new Dictionary<int, double>(start.Weights);
            for (var i = 0; i < features.Length; i++)
            {
                if (Math.Abs(weights[i]) < options.Prune)
                    result.Remove(features[i]);
                else
                    result[features[i]] = weights[i];
            }

            trained[topic] = (bias, result);
        }

        return new TopicModel(trained);
    }

    public static TopicModel Load(string path)
    {
        try
        {
            return Parse(File.ReadAllText(path));
        }
        catch (Exception e) when (e is JsonException or InvalidDataException or FormatException)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
    }

    public static TopicModel Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        if (!document.RootElement.TryGetProperty("topics", out var list) || list.ValueKind != JsonValueKind.Object)
            throw new InvalidDataException("expected {\"topics\": {slug: {\"bias\": …, \"weights\": {…}}}}");
        var topics = new Dictionary<string, (double, Dictionary<int, double>)>();
        foreach (var topic in list.EnumerateObject())
        {
            var weights = new Dictionary<int, double>();
            foreach (var weight in topic.Value.GetProperty("weights").EnumerateObject())
                weights[int.Parse(weight.Name, CultureInfo.InvariantCulture)] = weight.Value.GetDouble();
            topics[topic.Name] = (topic.Value.GetProperty("bias").GetDouble(), weights);
        }

        return new TopicModel(topics);
    }

    public string ToJson()
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("topics");
            foreach (var (topic, (bias, weights)) in topics)
            {
                writer.WriteStartObject(topic);
                writer.WriteNumber("bias", Math.Round(bias, 4));
                writer.WriteStartObject("weights");
                foreach (var (feature, weight) in weights.OrderBy(w => w.Key))
                    writer.WriteNumber(feature.ToString(CultureInfo.InvariantCulture), Math.Round(weight, 4));
                writer.WriteEndObject();
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }
}

/// <param name="TrainBias">False keeps each topic's bias as the prior has it: a few corrections, all negative for most
/// topics, would otherwise drag every paper's probabilities along with them.</param>
public sealed record TrainingOptions(int Epochs = 300, double LearningRate = 10, double L2 = 0.001, double MaxPositiveWeight = 5, double Prune = 0.1, bool TrainBias = true);
