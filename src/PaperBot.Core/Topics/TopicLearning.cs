using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using PaperBot.Core.Data;
using PaperBot.Core.Issues;

namespace PaperBot.Core.Topics;

/// <summary>
/// Editors' corrections feed the tagger: the model is retrained from the shipped one (an L2 pull towards its
/// weights) on every corrected paper whose topics differ from the shipped tagger's, each counting
/// <see cref="CorrectionWeight"/> times, so that papers like a corrected one get the corrected topics. It retrains when the corrections in the database differ from those it
/// last trained on: after each correction, and at the first import after a start (or after another instance's edits).
/// </summary>
public sealed class TopicLearning(TopicTagger tagger, TopicCatalog catalog, ILogger<TopicLearning> logger) : IDisposable
{
    public const double CorrectionWeight = 3;

    /// <summary>
    /// Biases stay as shipped and a firm pull towards the shipped weights: a correction moves the words of its paper, not
    /// every paper. A smaller step than the shipped training's: on a handful of papers a step of 10 overshoots and
    /// oscillates, so what a correction taught depended on where epoch 300 fell in the swing (with the model retrained
    /// on 193 papers, a paper like the corrected one fell from p 0.94 to 0.61). At step 2 it converges, and with the
    /// pull at 0.02 rather than 0.05 the converged correction still carries to a paper like it (p 0.86, not 0.76).
    /// </summary>
    private static readonly TrainingOptions Corrections = new(Epochs: 1500, LearningRate: 2, L2: 0.02, TrainBias: false);

    private readonly SemaphoreSlim gate = new(1, 1);
    private string? trainedOn;

    public async Task EnsureCurrentAsync(PaperBotDbContext db, CancellationToken cancellationToken)
    {
        var corrected = await CorrectionsAsync(db, cancellationToken);
        var fingerprint = string.Join(";", corrected.Select(p => $"{p.Id}:{p.TopicsCorrectedAt?.UtcTicks}:{string.Join(",", p.Topics.Select(t => t.Topic).Order(StringComparer.Ordinal))}"));
        await gate.WaitAsync(cancellationToken);
        try
        {
            if (fingerprint == trainedOn)
                return;
            // A correction that gives a paper the topics the shipped tagger gives it teaches nothing, yet training on it as
            // an example moves the words it shares with other papers: confirming one paper flipped another that sat at a
            // threshold (CommandLineTests.TopicsSetCorrectsOnePaper).
            var teaching = corrected.Where(p => !tagger.TagAsShipped(p.Title, p.Summary).ToHashSet().SetEquals(p.Topics.Select(t => t.Topic))).ToList();
            if (teaching.Count == 0)
            {
                tagger.Use(tagger.ShippedModel);
            }
            else
            {
                var clock = System.Diagnostics.Stopwatch.StartNew();
                var examples = teaching.Select(p => new TopicExample(TextFeatures.Of(p.Title, p.Summary), p.Topics.Select(t => t.Topic).ToHashSet(), CorrectionWeight)).ToList();
                tagger.Use(TopicModel.Train([.. catalog.All.Select(t => t.Slug)], examples, tagger.ShippedModel, Corrections));
                logger.LogInformation("topics: retrained the tagger's model on {Count} corrected papers in {Milliseconds} ms", teaching.Count, clock.ElapsedMilliseconds);
            }

            trainedOn = fingerprint;
        }
        finally
        {
            gate.Release();
        }
    }

    public void Dispose() => gate.Dispose();

    /// <summary>Corrected papers, newest correction first, one per paper (a paper imported again inherits its correction).</summary>
    public static async Task<List<Paper>> CorrectionsAsync(PaperBotDbContext db, CancellationToken cancellationToken)
    {
        var corrected = await db.Papers.AsNoTracking().Include(p => p.Topics).Where(p => p.TopicsCorrectedAt != null).ToListAsync(cancellationToken);
        var newestFirst = corrected.OrderByDescending(p => p.TopicsCorrectedAt).ThenByDescending(p => p.Id).ToList();
        var distinct = new List<Paper>();
        foreach (var paper in newestFirst)
        {
            if (!distinct.Any(d => PaperIdentity.Same(d, paper)))
                distinct.Add(paper);
        }

        return distinct;
    }
}
