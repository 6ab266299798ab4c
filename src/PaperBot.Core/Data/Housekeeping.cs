using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PaperBot.Core.Configuration;
using PaperBot.Core.Sending;
using PaperBot.Core.Subscribers;

namespace PaperBot.Core.Data;

public sealed class RetentionOptions : IValidatedOptions
{
    public const string Section = "Retention";

    /// <summary>Delivery rows of pushes finished this long ago, inbound receipts and console visitors not seen since are pruned.</summary>
    public int Days { get; set; } = 90;

    /// <summary>A hundred years: "keep everything" without a cut-off date before year 1.</summary>
    public const int MaxDays = 36_500;

    public TimeSpan Age => TimeSpan.FromDays(Days);

    public IEnumerable<string> Validate()
    {
        if (Days is < 1 or > MaxDays)
            yield return $"Retention:Days must be between 1 and {MaxDays}, not {Days}";
    }
}

/// <summary>
/// What the database would otherwise keep forever: the delivery rows of pushes finished <see cref="RetentionOptions.Days"/>
/// ago (each push keeps its tally, so its totals stay), inbound receipts that old (platforms redeliver within a day),
/// the answers stored with receipts after a day (only a platform's retry within seconds reads them), console
/// visitors not seen for that long, admin sessions ended or idle that long, and the audit log's wrong passwords that old
/// (a guesser's thousands of lines; every other audit entry stays). Deletes go in chunks, so a large push never holds
/// the database for long.
/// </summary>
public sealed class Housekeeping(PaperBotDbContext db, TimeProvider clock, IOptions<RetentionOptions> options)
{
    public static readonly TimeSpan AnswersKept = TimeSpan.FromDays(1);
    private const int Chunk = 10_000;

    public sealed record Pruned(int Deliveries, int Receipts, int Answers, int Visitors, int Sessions, int FailedLogins);

    public async Task<Pruned> PruneAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var before = now - options.Value.Age;
        var finished = await db.Pushes.Where(p => p.CompletedAt != null && p.CompletedAt < before).Select(p => p.Id).ToListAsync(cancellationToken);
        // A resend of one of these pushes may queue its deliveries again meanwhile: the DELETE itself checks that the push
        // is still finished and the row not pending, so PostgreSQL checks a row a resend changed as it is once committed.
        var prunable = db.Deliveries.Where(d => finished.Contains(d.PushId) && d.Status != DeliveryStatus.Pending
            && db.Pushes.Any(p => p.Id == d.PushId && p.CompletedAt != null && p.CompletedAt < before));
        var chunk = prunable.OrderBy(d => d.Id).Take(Chunk).Select(d => d.Id);
        var deliveries = 0;
        for (int deleted; finished.Count > 0 && (deleted = await prunable.Where(d => chunk.Contains(d.Id)).ExecuteDeleteAsync(cancellationToken)) > 0;)
            deliveries += deleted;

        var receipts = await db.InboundReceipts.Where(r => r.ReceivedAt < before).ExecuteDeleteAsync(cancellationToken);
        var answeredBefore = now - AnswersKept;
        var answers = await db.InboundReceipts.Where(r => r.ReceivedAt < answeredBefore && r.Response != null)
            .ExecuteUpdateAsync(r => r.SetProperty(x => x.Response, (string?)null), cancellationToken);
        var visitors = await db.Subscribers
            .Where(s => s.Channel == Channel.Web && s.Status == SubscriberStatus.Visitor && s.LastSeenAt < before)
            .ExecuteDeleteAsync(cancellationToken);
        var sessions = await db.AdminSessions.Where(s => s.EndedAt < before || s.LastSeenAt < before).ExecuteDeleteAsync(cancellationToken);
        var failedLogins = await db.AuditLog.Where(e => e.Action == AuditLog.LoginFailed && e.At < before).ExecuteDeleteAsync(cancellationToken);
        return new Pruned(deliveries, receipts, answers, visitors, sessions, failedLogins);
    }
}

/// <summary>Runs <see cref="Housekeeping"/> an hour after start and every hour after.</summary>
public sealed class HousekeepingService(IServiceScopeFactory scopes, TimeProvider clock, ILogger<HousekeepingService> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(Interval, clock, stoppingToken);
                await using var scope = scopes.CreateAsyncScope();
                var pruned = await scope.ServiceProvider.GetRequiredService<Housekeeping>().PruneAsync(stoppingToken);
                if (pruned.Deliveries + pruned.Receipts + pruned.Visitors + pruned.FailedLogins > 0)
                    logger.LogInformation(
                        "storage: pruned {Deliveries} delivery rows of finished pushes, {Receipts} receipts, {Visitors} console visitors and {FailedLogins} failed logins past retention",
                        pruned.Deliveries, pruned.Receipts, pruned.Visitors, pruned.FailedLogins);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception error)
            {
                logger.LogWarning(error, "storage: unable to prune old rows; trying again in {Interval}", Interval);
            }
        }
    }
}
