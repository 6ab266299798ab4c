using System.Globalization;
using System.Net;
using Microsoft.EntityFrameworkCore;
using PaperBot.Core.Issues;
using PaperBot.Core.Publishing;
using PaperBot.Tests.Sending;

namespace PaperBot.Tests.Admin;

/// <summary>What the admin page does, through the same core services as the chat commands and the command line.</summary>
public sealed class AdminActionTests
{
    private static async Task<(PaperBotApp App, AdminSession Admin)> LoggedInAsync(params (string Key, string? Value)[] settings)
    {
        var app = new PaperBotApp(AdminSession.WithPassword(settings));
        var admin = AdminSession.For(app);
        Assert.Equal(HttpStatusCode.Redirect, (await admin.LogInAsync()).StatusCode);
        return (app, admin);
    }

    [Fact]
    public async Task ImportErrorsAreListedWithTheirLineNumbersAndNothingIsImported()
    {
        var (app, admin) = await LoggedInAsync();
        using var _ = app;
        var before = await app.CountAsync<Issue>();

        var response = await admin.PostAsync("/admin/issues?handler=Import", [new("text", "{\n  \"title\": \"x\",\n  \"papers\": [ { \"number\": \"four\" } ]\n}"), new("format", "json")], "/admin/issues");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("id=\"import-errors\"", html, StringComparison.Ordinal);
        Assert.Matches("<li>line [0-9]+: ", html);
        Assert.Equal(before, await app.CountAsync<Issue>());
    }

    [Fact]
    public async Task AnUploadedFileIsImportedWithTheFormatFromItsName()
    {
        var (app, admin) = await LoggedInAsync(("Samples:ImportOnFirstStart", "false"));
        using var _ = app;
        using var form = new MultipartFormDataContent
        {
            { new StringContent(await admin.TokenAsync("/admin/issues")), "__RequestVerificationToken" },
            { new StringContent(""), "format" },
            { new ByteArrayContent(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "samples", "digest-sample.md"))), "file", "digest-sample.md" },
        };

        var response = await admin.Client.PostAsync("/admin/issues?handler=Import", form);

        Assert.Equal("/admin/issues/1", response.Headers.Location?.OriginalString);
        Assert.Contains("Imported issue 1 with 14 papers", await admin.Client.GetStringAsync("/admin/issues/1"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFileOverOneMegabyteIsRefusedWithAClearMessage()
    {
        var (app, admin) = await LoggedInAsync();
        using var _ = app;
        using var form = new MultipartFormDataContent
        {
            { new StringContent(await admin.TokenAsync("/admin/issues")), "__RequestVerificationToken" },
            { new ByteArrayContent(new byte[(1024 * 1024) + 10]), "file", "huge.txt" },
        };

        var response = await admin.Client.PostAsync("/admin/issues?handler=Import", form);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("larger than 1 MB", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheIssuePageShowsTheTelegramAndWeChatPreviewsFilteredByTopic()
    {
        var (app, admin) = await LoggedInAsync();
        using var _ = app;

        var all = await admin.Client.GetStringAsync("/admin/issues/1");
        var filtered = await admin.Client.GetStringAsync("/admin/issues/1?topic=long-context&lang=en&paper=4");

        Assert.Contains("id=\"telegram-preview\"", all, StringComparison.Ordinal);
        Assert.Contains("id=\"wechat-preview\"", all, StringComparison.Ordinal);
        Assert.Contains("<b>📬 第 1 期", all, StringComparison.Ordinal);
        Assert.Contains("class=\"tg-button\"", all, StringComparison.Ordinal);
        Assert.Contains("Concept Weaver", all, StringComparison.Ordinal);
        Assert.Contains("more are outside your topics", filtered, StringComparison.Ordinal);
        Assert.Contains("class=\"wx-card\" href=\"http://localhost/issues/1/papers/4\"", filtered, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PublishingFromTheIssuePageQueuesAPushAndShowsItsProgress()
    {
        var (app, admin) = await LoggedInAsync(("Delivery:MessagesPerSecond", "0"));
        using var _ = app;
        await SubscriberSeed.InsertAsync(app.DatabasePath, 7000, 3);
        var draft = await AdminAccessTests.ImportDraftAsync(admin);

        var publish = await admin.PostAsync($"/admin/issues/{draft}?handler=Publish", [], $"/admin/issues/{draft}");

        var push = await app.QueryAsync(db => db.Pushes.SingleAsync(p => p.IssueId == draft));
        Assert.Equal($"/admin/pushes/{push.Id}", publish.Headers.Location?.OriginalString);
        Assert.Equal(3, push.RecipientCount);
        Assert.Contains("id=\"progress\"", await admin.FollowAsync(publish), StringComparison.Ordinal);
        var again = await admin.PostAsync($"/admin/issues/{draft}?handler=Publish", [], $"/admin/issues/{draft}");
        Assert.Contains("already published", await admin.FollowAsync(again), StringComparison.Ordinal);
        Assert.Equal(1, await app.QueryAsync(db => db.Pushes.CountAsync(p => p.IssueId == draft)));
    }

    [Fact]
    public async Task SchedulingForTheWeeklySlotAtAMomentAndBackToDraft()
    {
        var (app, admin) = await LoggedInAsync();
        using var _ = app;
        var draft = await AdminAccessTests.ImportDraftAsync(admin);
        var page = $"/admin/issues/{draft}";
        Task<IssueStatus> Status() => app.QueryAsync(db => db.Issues.Where(i => i.Id == draft).Select(i => i.Status).SingleAsync());

        var weekly = await admin.PostAsync($"{page}?handler=Schedule", [], page);
        Assert.Contains("with the next weekly push", await admin.FollowAsync(weekly), StringComparison.Ordinal);
        Assert.Equal(IssueStatus.Scheduled, await Status());

        var past = await admin.PostAsync($"{page}?handler=ScheduleAt", [new("at", "2020-01-01T09:00")], page);
        Assert.Contains("is in the past", await admin.FollowAsync(past), StringComparison.Ordinal);

        var shanghai = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow.AddDays(3), TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai"));
        var local = shanghai.ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture);
        var at = await admin.PostAsync($"{page}?handler=ScheduleAt", [new("at", local)], page);
        Assert.Contains($"will be published at {local.Replace('T', ' ')} Asia/Shanghai", await admin.FollowAsync(at), StringComparison.Ordinal);
        var scheduledFor = await app.QueryAsync(db => db.Issues.Where(i => i.Id == draft).Select(i => i.ScheduledFor).SingleAsync());
        Assert.Equal(new DateTimeOffset(shanghai.Year, shanghai.Month, shanghai.Day, shanghai.Hour, shanghai.Minute, 0, TimeSpan.FromHours(8)), scheduledFor);

        var unschedule = await admin.PostAsync($"{page}?handler=Unschedule", [], page);
        Assert.Contains("is a draft again", await admin.FollowAsync(unschedule), StringComparison.Ordinal);
        Assert.Equal(IssueStatus.Draft, await Status());
    }

    [Fact]
    public async Task ATimeTheClocksReadTwiceIsScheduledAtTheOneTheAdminChose()
    {
        var (app, admin) = await LoggedInAsync(("Schedule:TimeZone", "Europe/Berlin"));
        using var _ = app;
        var draft = await AdminAccessTests.ImportDraftAsync(admin);
        var page = $"/admin/issues/{draft}";
        Task<DateTimeOffset?> ScheduledFor() => app.QueryAsync(db => db.Issues.Where(i => i.Id == draft).Select(i => i.ScheduledFor).SingleAsync());

        var unsaid = await admin.PostAsync($"{page}?handler=ScheduleAt", [new("at", "2030-10-27T02:30"), new("occurrence", "")], page);
        Assert.Contains("2030-10-27 02:30 happens twice in Europe/Berlin as daylight saving time ends, first at +02:00 and then at +01:00; choose the first or the second time beside it.",
            WebUtility.HtmlDecode(await admin.FollowAsync(unsaid)), StringComparison.Ordinal);
        Assert.Null(await ScheduledFor());

        var second = await admin.PostAsync($"{page}?handler=ScheduleAt", [new("at", "2030-10-27T02:30"), new("occurrence", "second")], page);
        Assert.Contains("will be published at 2030-10-27 02:30 (+01:00) Europe/Berlin", WebUtility.HtmlDecode(await admin.FollowAsync(second)), StringComparison.Ordinal);
        Assert.Equal(new DateTimeOffset(2030, 10, 27, 1, 30, 0, TimeSpan.Zero), await ScheduledFor());

        var first = await admin.PostAsync($"{page}?handler=ScheduleAt", [new("at", "2030-10-27T02:30"), new("occurrence", "first")], page);
        Assert.Contains("will be published at 2030-10-27 02:30 (+02:00) Europe/Berlin", WebUtility.HtmlDecode(await admin.FollowAsync(first)), StringComparison.Ordinal);
        Assert.Equal(new DateTimeOffset(2030, 10, 27, 0, 30, 0, TimeSpan.Zero), await ScheduledFor());
    }

    [Fact]
    public async Task TheScheduleFormAsksAboutTheAutumnFoldOnlyWhereTheClocksGoBack()
    {
        var (berlin, berlinAdmin) = await LoggedInAsync(("Schedule:TimeZone", "Europe/Berlin"));
        using (berlin)
            Assert.Contains("id=\"schedule-occurrence\"", await berlinAdmin.Client.GetStringAsync($"/admin/issues/{await AdminAccessTests.ImportDraftAsync(berlinAdmin)}"), StringComparison.Ordinal);

        var (shanghai, shanghaiAdmin) = await LoggedInAsync();
        using (shanghai)
            Assert.DoesNotContain("schedule-occurrence", await shanghaiAdmin.Client.GetStringAsync($"/admin/issues/{await AdminAccessTests.ImportDraftAsync(shanghaiAdmin)}"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task APapersTopicsAreEditedFromTheCatalogue()
    {
        var (app, admin) = await LoggedInAsync();
        using var _ = app;

        var response = await admin.PostAsync("/admin/issues/1?handler=Topics", [new("number", "4"), new("topics", "moe"), new("topics", "agents")], "/admin/issues/1");

        Assert.Equal("/admin/issues/1#paper-4", response.Headers.Location?.OriginalString);
        var topics = await app.QueryAsync(db => db.Papers.Where(p => p.IssueId == 1 && p.Number == 4).SelectMany(p => p.Topics.Select(t => t.Topic)).ToListAsync());
        Assert.Equal(["agents", "moe"], topics.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task SavingAPapersTopicsUnchangedSaysSoAndDoesNotMarkItCorrected()
    {
        var (app, admin) = await LoggedInAsync();
        using var _ = app;
        var topics = await app.QueryAsync(db => db.Papers.Where(p => p.IssueId == 1 && p.Number == 4).SelectMany(p => p.Topics.Select(t => t.Topic)).ToListAsync());
        Assert.NotEmpty(topics);

        var page = await admin.FollowAsync(await admin.PostAsync("/admin/issues/1?handler=Topics", topics.Select(t => new KeyValuePair<string, string>("topics", t)).Prepend(new("number", "4")), "/admin/issues/1"));

        Assert.Contains("Paper 4: topics unchanged (", page, StringComparison.Ordinal);
        Assert.False(await app.QueryAsync(db => db.Papers.AnyAsync(p => p.TopicsCorrectedAt != null)));
        Assert.False(await app.QueryAsync(db => db.AuditLog.AnyAsync(e => e.Action == "topics")));
    }

    [Fact]
    public async Task ABroadcastIsPreviewedThenQueuedThroughTheEngine()
    {
        var (app, admin) = await LoggedInAsync(("Delivery:MessagesPerSecond", "0"));
        using var _ = app;
        await SubscriberSeed.InsertAsync(app.DatabasePath, 8000, 2);

        var preview = await admin.PostAsync("/admin/broadcast?handler=Preview", [new("text", "Server <b>maintenance</b> tonight"), new("lang", "en")], "/admin/broadcast");
        var html = await preview.Content.ReadAsStringAsync();
        Assert.Contains("📢 Announcement", html, StringComparison.Ordinal);
        Assert.Contains("Server &lt;b&gt;maintenance&lt;/b&gt; tonight", html, StringComparison.Ordinal);
        Assert.Equal(0, await app.QueryAsync(db => db.Pushes.CountAsync(p => p.Kind == PushKind.Broadcast)));

        var send = await admin.PostAsync("/admin/broadcast?handler=Send", [new("text", "Server maintenance tonight")], "/admin/broadcast");

        var push = await app.QueryAsync(db => db.Pushes.SingleAsync(p => p.Kind == PushKind.Broadcast));
        Assert.Equal($"/admin/pushes/{push.Id}", send.Headers.Location?.OriginalString);
        Assert.Equal(2, push.RecipientCount);
        Assert.NotNull(push.QueuedAt);
    }

    [Fact]
    public async Task OnePreviewSentTwiceAtOnceIsQueuedOnce()
    {
        var (app, admin) = await LoggedInAsync();
        using var _ = app;
        await SubscriberSeed.InsertAsync(app.DatabasePath, 8000, 2);
        var preview = await admin.PostAsync("/admin/broadcast?handler=Preview", [new("text", "Server maintenance tonight"), new("lang", "en")], "/admin/broadcast");
        var key = System.Text.RegularExpressions.Regex.Match(await preview.Content.ReadAsStringAsync(), "name=\"key\" value=\"([0-9a-f]{32})\"").Groups[1].Value;
        var token = await admin.TokenAsync("/admin/broadcast");

        var sends = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => admin.Client.PostAsync("/admin/broadcast?handler=Send", new FormUrlEncodedContent(
            new Dictionary<string, string> { ["text"] = "Server maintenance tonight", ["key"] = key, ["__RequestVerificationToken"] = token }))));

        var push = await app.QueryAsync(db => db.Pushes.SingleAsync(p => p.Kind == PushKind.Broadcast));
        Assert.All(sends, send => Assert.Equal($"/admin/pushes/{push.Id}", send.Headers.Location?.OriginalString));
        Assert.Equal(2, await app.QueryAsync(db => db.Deliveries.CountAsync(d => d.PushId == push.Id)));
    }

    [Fact]
    public async Task ATextEditedAfterItsPreviewIsSentAsItsOwnAnnouncement()
    {
        var (app, admin) = await LoggedInAsync();
        using var _ = app;
        await SubscriberSeed.InsertAsync(app.DatabasePath, 8000, 2);
        var preview = await admin.PostAsync("/admin/broadcast?handler=Preview", [new("text", "Server maintenance tonight"), new("lang", "en")], "/admin/broadcast");
        var key = System.Text.RegularExpressions.Regex.Match(await preview.Content.ReadAsStringAsync(), "name=\"key\" value=\"([0-9a-f]{32})\"").Groups[1].Value;

        await admin.PostAsync("/admin/broadcast?handler=Send", [new("text", "Server maintenance tonight"), new("key", key)], "/admin/broadcast");
        await admin.PostAsync("/admin/broadcast?handler=Send", [new("text", "Server maintenance tonight, 22:00 to 23:00"), new("key", key)], "/admin/broadcast");

        var texts = await app.QueryAsync(db => db.Pushes.Where(p => p.Kind == PushKind.Broadcast).OrderBy(p => p.Id).Select(p => p.Text).ToListAsync());
        Assert.Equal(["Server maintenance tonight", "Server maintenance tonight, 22:00 to 23:00"], texts);
    }

    [Fact]
    public async Task AnEmptyBroadcastIsRefused()
    {
        var (app, admin) = await LoggedInAsync();
        using var _ = app;

        var send = await admin.PostAsync("/admin/broadcast?handler=Send", [new("text", "   ")], "/admin/broadcast");

        Assert.Equal(HttpStatusCode.BadRequest, send.StatusCode);
        Assert.Equal(0, await app.QueryAsync(db => db.Pushes.CountAsync(p => p.Kind == PushKind.Broadcast)));
    }

    [Fact]
    public async Task EveryAdminActionIsAuditedAsTheAdminPage()
    {
        var (app, admin) = await LoggedInAsync();
        using var _ = app;
        var draft = await AdminAccessTests.ImportDraftAsync(admin);
        var page = $"/admin/issues/{draft}";
        await admin.PostAsync($"{page}?handler=Topics", [new("number", "1"), new("topics", "moe")], page);
        await admin.PostAsync($"{page}?handler=Schedule", [], page);
        await admin.PostAsync($"{page}?handler=Unschedule", [], page);
        await admin.PostAsync($"{page}?handler=Publish", [], page);
        await admin.PostAsync("/admin/broadcast?handler=Send", [new("text", "hello")], "/admin/broadcast");
        await admin.PostAsync("/admin/logout");

        var actions = await app.QueryAsync(db => db.AuditLog.Where(e => e.Actor == "web:admin").OrderBy(e => e.Id).Select(e => e.Action).ToListAsync());
        Assert.Equal(["login", "import", "topics", "schedule", "unschedule", "publish", "broadcast", "logout"], actions);
    }

    [Fact]
    public async Task SubscribersAreFoundByChatIdAndFilteredByStatusAndPaged()
    {
        var (app, admin) = await LoggedInAsync();
        using var _ = app;
        await SubscriberSeed.InsertAsync(app.DatabasePath, 100_000, 120);

        var found = await admin.Client.GetStringAsync("/admin/subscribers?q=100042");
        var active = await admin.Client.GetStringAsync("/admin/subscribers?status=Active");
        var third = await admin.Client.GetStringAsync("/admin/subscribers?status=Active&p=3");
        var blocked = await admin.Client.GetStringAsync("/admin/subscribers?status=Blocked");

        Assert.Contains("<code>100042</code>", found, StringComparison.Ordinal);
        Assert.Contains(">1 subscribers<", found.Replace("</p>", "<", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains("120 subscribers · page 1 of 3", active, StringComparison.Ordinal);
        Assert.Equal(20, third.Split("<code>").Length - 1);
        Assert.Contains("0 subscribers", blocked, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SubscribersAreFoundByANameWithAccentedCapitalsTypedInLowerCase()
    {
        var (app, admin) = await LoggedInAsync();
        using var _ = app;
        await SubscriberSeed.InsertAsync(app.DatabasePath, 100_000, 3);
        await app.QueryAsync(db => db.Subscribers.Where(s => s.ChatId == "100001").ExecuteUpdateAsync(s => s.SetProperty(x => x.DisplayName, "Łukasz Émile")));

        var found = await admin.Client.GetStringAsync("/admin/subscribers?q=" + Uri.EscapeDataString("łukasz émile"));
        var foundByOneWord = await admin.Client.GetStringAsync("/admin/subscribers?q=" + Uri.EscapeDataString("émile"));

        Assert.Contains("<code>100001</code>", found, StringComparison.Ordinal);
        Assert.Contains("<code>100001</code>", foundByOneWord, StringComparison.Ordinal);
        Assert.DoesNotContain("<code>100002</code>", foundByOneWord, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheDashboardDrawsItsChartsAsInlineSvg()
    {
        var (app, admin) = await LoggedInAsync();
        using var _ = app;
        await SubscriberSeed.InsertAsync(app.DatabasePath, 500, 4);

        var html = await admin.Client.GetStringAsync("/admin");

        Assert.Equal(3, html.Split("<svg class=\"chart\"").Length - 1 + html.Split("class=\"chart-empty\"").Length - 1);
        Assert.Contains("id=\"active-subscribers\">4<", html, StringComparison.Ordinal);
        Assert.DoesNotContain("http://cdn", html, StringComparison.Ordinal);
    }
}
