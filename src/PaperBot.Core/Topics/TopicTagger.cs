namespace PaperBot.Core.Topics;

/// <summary>
/// When the two kinds of evidence make a topic: keyword scores (<see cref="TermScores"/>, <paramref name="Evident"/>
/// and above is evident) and the model's probability. A topic is tagged when its keywords are evident, or the model
/// is sure of it on its own, or a weaker keyword mention and the model agree. Keywords that argue against a topic
/// (a negative score) veto it, and so does the model where it finds an evident topic very unlikely (below
/// <paramref name="ModelVeto"/>), unless the keywords are <paramref name="Sure"/>: a word the summary uses in passing
/// ("we evaluate on a benchmark", "an efficient method") scores like a paper's subject, the papers about that subject
/// read differently. The veto rests on the shipped model, whose probabilities cross-validation calibrated it for: a
/// model retrained on a few corrections moves probabilities near the threshold, and a correction should change the
/// papers like the corrected one, not flip others that sit at the veto's edge. A paper with no topic so far gets its
/// single best one, however weak: a reader who filters by topic never sees an untagged paper, so a weak guess serves
/// better than none, and cross-validation found that a floor under the guess (<paramref name="FallbackProbability"/>
/// 0.25 until round 4) bought no precision. With a model every paper thus gets a topic; without one, a paper no keyword
/// mentions stays untagged and is flagged to admins. The defaults were chosen by cross-validation on the tuning part of
/// bench/topics (`topics compare`).
/// </summary>
public sealed record TaggingRule(
    double Evident = TermScores.Evident,
    double ModelAlone = 0.8,
    double ModelWithMention = 0.35,
    double Mention = 1,
    double FallbackProbability = 0,
    double ModelVeto = 0.15,
    double Sure = 3);

/// <param name="Model">The model's probability (retrained with editors' corrections, if any); null without a model or for a
/// topic it was not trained on (then nothing rests on it).</param>
/// <param name="Shipped">The shipped model's probability, on which the veto rests; likewise null.</param>
public sealed record TopicScoresOfPaper(string Slug, double Terms, double? Model, double? Shipped);

/// <summary>Tags a paper with catalogue topics from its title and summary, offline: keywords plus a small linear model.</summary>
public sealed class TopicTagger
{
    private readonly TopicCatalog catalog;
    private readonly TermScores terms;
    private readonly TaggingRule rule;
    private readonly Lazy<TopicModel> shipped;
    private TopicModel? retrained;

    public TopicTagger(TopicCatalog catalog, TopicModel? model = null, TaggingRule? rule = null)
        : this(catalog, () => model ?? TopicModel.Empty, rule)
    {
    }

    /// <param name="loadModel">Called once, when the first paper is tagged: the host does not load the model at start.</param>
    public TopicTagger(TopicCatalog catalog, Func<TopicModel> loadModel, TaggingRule? rule = null)
    {
        this.catalog = catalog ?? throw new ArgumentNullException(nameof(catalog));
        terms = new TermScores(catalog);
        shipped = new Lazy<TopicModel>(loadModel);
        this.rule = rule ?? new TaggingRule();
    }

    /// <summary>The model as shipped in config/, before any correction.</summary>
    public TopicModel ShippedModel => shipped.Value;

    public TopicModel Model => Volatile.Read(ref retrained) ?? shipped.Value;

    /// <summary>Swaps in a model retrained with editors' corrections; papers tagged from now on use it.</summary>
    public void Use(TopicModel model) => Volatile.Write(ref retrained, model ?? throw new ArgumentNullException(nameof(model)));

    /// <summary>The slugs of the topics the paper is about, in catalogue order; empty when nothing fits.</summary>
    public IReadOnlyList<string> Tag(string title, string summary) => Decide(Score(title, summary));

    /// <summary>The topics the tagger gives the paper with the model as shipped, whatever corrections taught it since.</summary>
    public IReadOnlyList<string> TagAsShipped(string title, string summary) =>
        Decide([.. Score(title, summary).Select(s => s with { Model = s.Shipped })]);

    public IReadOnlyList<TopicScoresOfPaper> Score(string title, string summary)
    {
        var termScores = terms.Score(title, summary);
        var current = Model;
        var asShipped = ShippedModel;
        var features = current.Topics.Count == 0 && asShipped.Topics.Count == 0 ? null : TextFeatures.Of(title, summary);
        double? Probability(TopicModel model, string slug) => features is null || !model.Knows(slug) ? null : model.Probability(slug, features);
        return [.. catalog.All.Select((t, i) =>
        {
            var probability = Probability(current, t.Slug);
            return new TopicScoresOfPaper(t.Slug, termScores[i], probability, ReferenceEquals(current, asShipped) ? probability : Probability(asShipped, t.Slug));
        })];
    }

    public IReadOnlyList<string> Decide(IReadOnlyList<TopicScoresOfPaper> scores)
    {
        var allowed = scores.Where(s => s.Terms >= 0).ToList();
        var tagged = allowed
            .Where(s => (s.Terms >= rule.Evident && !(s.Shipped < rule.ModelVeto && s.Terms < rule.Sure))
                || s.Model >= rule.ModelAlone
                || (s.Terms >= rule.Mention && s.Model >= rule.ModelWithMention))
            .Select(s => s.Slug)
            .ToList();
        if (tagged.Count > 0)
            return tagged;

        var best = allowed
            .Where(s => s.Terms >= rule.Mention || s.Model >= rule.FallbackProbability)
            .OrderByDescending(s => (s.Terms / rule.Evident) + (s.Model ?? 0))
            .FirstOrDefault();
        return best is null ? [] : [best.Slug];
    }
}
