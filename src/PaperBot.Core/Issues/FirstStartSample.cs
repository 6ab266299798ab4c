using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PaperBot.Core.Data;
using PaperBot.Core.Digests;
using PaperBot.Core.Publishing;

namespace PaperBot.Core.Issues;

/// <summary>On an empty database, imports and publishes the bundled sample so the archive and /latest have content.</summary>
public sealed class FirstStartSample(
    PaperBotDbContext db, IssueImporter importer, IssuePublisher publisher, IOptions<SampleOptions> options, ILogger<FirstStartSample> logger)
{
    public const string Actor = "first-start";

    public async Task ImportIfEmptyAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.ImportOnFirstStart || await db.Issues.AnyAsync(cancellationToken))
            return;

        var content = await File.ReadAllTextAsync(options.Value.FilePath, cancellationToken);
        var outcome = await importer.ImportAsync(content, DigestParser.FormatFromFileName(options.Value.FilePath), Actor, cancellationToken, fetchMetadata: false);
        if (outcome is not ImportOutcome.Imported imported)
        {
            logger.LogWarning("digests: the bundled sample {File} did not import: {Outcome}", options.Value.FilePath, outcome);
            return;
        }

        await publisher.PublishAsync(imported.IssueId, Actor, cancellationToken);
        logger.LogInformation("digests: first start, imported and published the sample as issue {IssueId} ({PaperCount} papers); set Samples__ImportOnFirstStart=false to skip",
            imported.IssueId, imported.PaperCount);
    }
}
