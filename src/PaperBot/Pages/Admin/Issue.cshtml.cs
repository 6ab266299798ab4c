using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using PaperBot.Admin;
using PaperBot.Channels.WeChat.Articles;
using PaperBot.Core.Data;
using PaperBot.Core.Issues;
using PaperBot.Core.Publishing;
using PaperBot.Core.Stats;
using PaperBot.Core.Subscribers;
using PaperBot.Core.Topics;
using PaperBot.Scheduling;

namespace PaperBot.Pages.Admin;

/// <summary>One issue: previews per channel, publish or schedule, topics per paper, and its deliveries.</summary>
public sealed class AdminIssueModel(
    IssueReader reader, IssuePreviews previews, IssuePublisher publisher, Resender resender, IssueScheduler scheduler, PaperTopicsEditor topicsEditor,
    PushEstimate estimates, StatsReport stats, IPushSchedule schedule, TopicCatalog catalog, PaperBotDbContext db, AdminTime time,
    ArticlePublisher articles) : AdminPage
{
    public AdminTime Time => time;
    public Issue Issue { get; private set; } = null!;
    public ChannelPreview Preview { get; private set; } = null!;
    public IReadOnlyList<Topic> Catalog => catalog.All;
    public string? Topic { get; private set; }
    public string Language { get; private set; } = Languages.Chinese;
    public int? Paper { get; private set; }
    public string NextWeekly { get; private set; } = "";
    public Estimate Estimate { get; private set; } = null!;
    public IReadOnlyList<PushLedger> Pushes { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(int id, string? topic, string? lang, int? paper, CancellationToken cancellationToken)
    {
        if (await reader.FindAsync(id, includeUnpublished: true, cancellationToken) is not { } issue)
            return NotFound();
        Issue = issue;
        Topic = catalog.Find(topic ?? "")?.Slug;
        Language = Languages.Parse(lang) ?? Languages.Chinese;
        Paper = paper ?? issue.Papers.FirstOrDefault()?.Number;
        Preview = previews.ForIssue(issue, Topic is null ? new HashSet<string>() : new HashSet<string> { Topic }, Language, Paper, Request);
        NextWeekly = schedule.NextPushAfter(time.Now) is { } next ? $"{time.Show(next)} {time.ZoneId}" : "none";
        Estimate = await estimates.ForAudienceAsync(includeChannelPosts: true, cancellationToken);
        var pushIds = await db.Pushes.Where(p => p.IssueId == id).OrderByDescending(p => p.Id).Select(p => p.Id).ToListAsync(cancellationToken);
        var ledgers = new List<PushLedger>();
        foreach (var pushId in pushIds)
        {
            if (await stats.LedgerAsync(pushId, cancellationToken) is { } ledger)
                ledgers.Add(ledger);
        }

        Pushes = ledgers;
        return Page();
    }

    public async Task<IActionResult> OnPostPublishAsync(int id, CancellationToken cancellationToken)
    {
        switch (await publisher.PublishAsync(id, AdminLogin.Actor, cancellationToken))
        {
            case PublishOutcome.Published published:
                Notice($"Issue {id} published; sending to {published.Recipients} recipients.");
                return Redirect($"/admin/pushes/{published.PushId}");
            case PublishOutcome.AlreadyPublished already:
                Problem($"Issue {id} was already published on {time.Show(already.At)}; nothing was sent again.");
                break;
            case PublishOutcome.IssueMissing:
                return NotFound();
        }

        return Redirect($"/admin/issues/{id}");
    }

    public async Task<IActionResult> OnPostResendAsync(int id, CancellationToken cancellationToken)
    {
        switch (await resender.ResendAsync(id, AdminLogin.Actor, cancellationToken))
        {
            case ResendOutcome.Requeued requeued:
                Notice($"Issue {id}: {requeued.Deliveries} deliveries queued again.");
                return Redirect($"/admin/pushes/{requeued.PushId}");
            case ResendOutcome.NothingToResend:
                Notice($"Issue {id}: nothing to resend; every subscriber has it or cannot be reached.");
                break;
            case ResendOutcome.NotPublished:
                Problem($"Issue {id} is not published yet.");
                break;
            case ResendOutcome.IssueMissing:
                return NotFound();
        }

        return Redirect($"/admin/issues/{id}");
    }

    public Task<IActionResult> OnPostScheduleAsync(int id, CancellationToken cancellationToken) => ScheduleAsync(id, null, cancellationToken);

    public async Task<IActionResult> OnPostScheduleAtAsync(int id, DateTime? at, Occurrence occurrence, CancellationToken cancellationToken)
    {
        if (at is not { } local)
        {
            Problem("Give a date and time to schedule at.");
            return Redirect($"/admin/issues/{id}");
        }

        var resolved = time.FromLocal(local, occurrence);
        if (resolved.At is not { } moment)
        {
            Problem(resolved.Twice ? $"{resolved.Problem}; choose the first or the second time beside it." : $"{resolved.Problem}; pick another time.");
            return Redirect($"/admin/issues/{id}");
        }

        return await ScheduleAsync(id, moment, cancellationToken);
    }

    public async Task<IActionResult> OnPostUnscheduleAsync(int id, CancellationToken cancellationToken)
    {
        switch (await scheduler.UnscheduleAsync(id, AdminLogin.Actor, cancellationToken))
        {
            case ScheduleOutcome.Unscheduled:
                Notice($"Issue {id} is a draft again; nothing will publish it.");
                break;
            case ScheduleOutcome.AlreadyPublished:
                Problem($"Issue {id} is already published.");
                break;
            case ScheduleOutcome.IssueMissing:
                return NotFound();
        }

        return Redirect($"/admin/issues/{id}");
    }

    public async Task<IActionResult> OnPostTopicsAsync(int id, int number, string[]? topics, CancellationToken cancellationToken)
    {
        switch (await topicsEditor.SetAsync(id, number, topics ?? [], AdminLogin.Actor, cancellationToken))
        {
            case TopicEditOutcome.Changed changed:
                var topicsText = $"Paper {number}: topics {(changed.Topics.Count == 0 ? "cleared" : string.Join(", ", changed.Topics))}.";
                // The issue's draft on WeChat follows the edit, so the article that goes out is the issue as it is now.
                switch (await articles.RefreshDraftAsync(id, AdminLogin.Actor, cancellationToken))
                {
                    case ArticleOutcome.Refused refused:
                        Problem($"{topicsText} The WeChat draft was not updated: {refused.Reason}");
                        break;
                    case ArticleOutcome.Busy busy:
                        Problem($"{topicsText} The WeChat draft was not updated: {busy.Reason}");
                        break;
                    case ArticleOutcome.Drafted:
                        Notice($"{topicsText} The WeChat draft is updated too.");
                        break;
                    default:
                        Notice(topicsText);
                        break;
                }

                break;
            case TopicEditOutcome.Unchanged unchanged:
                Notice($"Paper {number}: topics unchanged ({(unchanged.Topics.Count == 0 ? "none" : string.Join(", ", unchanged.Topics))}).");
                break;
            case TopicEditOutcome.UnknownTopics unknown:
                Problem($"Unknown topics: {string.Join(", ", unknown.Topics)}.");
                break;
            case TopicEditOutcome.IssueMissing or TopicEditOutcome.PaperMissing:
                return NotFound();
        }

        return Redirect($"/admin/issues/{id}#paper-{number}");
    }

    private async Task<IActionResult> ScheduleAsync(int id, DateTimeOffset? at, CancellationToken cancellationToken)
    {
        switch (await scheduler.ScheduleAsync(id, at, AdminLogin.Actor, cancellationToken))
        {
            case ScheduleOutcome.Scheduled scheduled:
                Notice(scheduled.At is { } when
                    ? $"Issue {id} will be published at {time.Show(when)} {time.ZoneId}."
                    : $"Issue {id} will be published with the next weekly push ({(schedule.NextPushAfter(time.Now) is { } next ? time.Show(next) : "none")} {time.ZoneId}).");
                break;
            case ScheduleOutcome.InThePast past:
                Problem($"{time.Show(past.At)} {time.ZoneId} is in the past; pick a later time.");
                break;
            case ScheduleOutcome.AlreadyPublished:
                Problem($"Issue {id} is already published.");
                break;
            case ScheduleOutcome.IssueMissing:
                return NotFound();
        }

        return Redirect($"/admin/issues/{id}");
    }
}
