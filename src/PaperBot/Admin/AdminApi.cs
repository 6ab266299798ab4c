using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using PaperBot.Core.Stats;

namespace PaperBot.Admin;

/// <summary>
/// The admin JSON: a push's progress, once (<c>/progress</c>, for polling) or as server-sent events (<c>/events</c>,
/// one "progress" event a second until the push is done). Every endpoint needs an admin session. Only <c>/progress</c>
/// says why deliveries failed (<see cref="ProgressDto.Why"/>), unless asked with <c>?why=false</c>: that reads the push's
/// deliveries, too much for every second.
/// </summary>
public static class AdminApi
{
    public const string Prefix = "/admin/api";
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    public sealed record ProgressDto(
        int PushId, string Kind, int? IssueId, string Title, int Recipients,
        int Sent, int Skipped, int Blocked, int Failed, int Waiting, int Remaining,
        int Percent, double MessagesPerSecond, double? EtaSeconds, string Summary, bool Done, WhyDto? Why = null);

    /// <summary>The most frequent reasons deliveries failed, were blocked, wait or were skipped (not for their topics); null in events.</summary>
    public sealed record WhyDto(IReadOnlyList<ReasonDto> Reasons, int MoreReasons, bool NoLongerKept);

    public sealed record ReasonDto(string Channel, string Status, string? Reason, int Deliveries);

    public static IEndpointRouteBuilder MapAdminApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup(Prefix).RequireAuthorization(AdminRegistration.Policy);
        // ?why=false: the page's once-a-second polling (where server-sent events fail) leaves the reasons out.
        api.MapGet("/pushes/{id:int}/progress", async (int id, bool? why, PushProgress progress, StatsReport stats, CancellationToken cancellationToken) =>
            await progress.ReadAsync(id, cancellationToken) is { } now
                ? Results.Ok(why == false ? ToDto(now) : ToDto(now) with { Why = ToDto(await stats.ReasonsAsync(now.Ledger, StatsReport.TopReasons, cancellationToken)) })
                : Web.JsonBody.Problem($"there is no push {id}", StatusCodes.Status404NotFound));
        api.MapGet("/pushes/{id:int}/events", async (int id, PushProgress progress, CancellationToken cancellationToken) =>
            await progress.ReadAsync(id, cancellationToken) is null
                ? Web.JsonBody.Problem($"there is no push {id}", StatusCodes.Status404NotFound)
                : TypedResults.ServerSentEvents(EventsAsync(id, progress, cancellationToken)));
        return app;
    }

    public static ProgressDto ToDto(Progress progress)
    {
        var ledger = progress.Ledger;
        return new ProgressDto(
            ledger.PushId, ledger.Kind.ToString().ToLowerInvariant(), ledger.IssueId, ledger.Title, ledger.Recipients,
            ledger.Sent, ledger.Skipped, ledger.Blocked, ledger.Failed, ledger.Waiting, ledger.Pending,
            progress.Percent, Math.Round(progress.MessagesPerSecond, 1),
            ledger.Pending > 0 ? progress.Remaining?.TotalSeconds : 0,
            progress.Describe(), IsDone(progress));
    }

    public static WhyDto ToDto(PushReasons reasons) => new(
        reasons.Top.Select(r => new ReasonDto(r.Channel.ToString(), r.Status.ToString().ToLowerInvariant(), r.Reason, r.Deliveries)).ToList(),
        reasons.More, reasons.NoLongerKept);

    public static bool IsDone(Progress progress) => progress.Ledger.Pending == 0 && progress.Ledger.Recipients <= progress.Ledger.Done;

    private static async IAsyncEnumerable<SseItem<ProgressDto>> EventsAsync(int id, PushProgress progress, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested && await progress.ReadAsync(id, cancellationToken) is { } now)
        {
            var dto = ToDto(now);
            yield return new SseItem<ProgressDto>(dto, dto.Done ? "done" : "progress");
            if (dto.Done)
                yield break;
            await Task.Delay(Interval, cancellationToken);
        }
    }
}
