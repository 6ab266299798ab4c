using System.Net;
using System.Reflection;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using PaperBot.Tests.Admin;

namespace PaperBot.Tests.Security;

/// <summary>
/// Every form the admin page posts — not only publish — needs the admin's session and the form's anti-forgery token: a
/// hostile page in the admin's browser, or anyone without the session, changes nothing through any of them.
/// </summary>
public sealed class AdminFormTests
{
    private const int Published = 1;
    private const int Draft = 2;

    /// <summary>Each form the admin pages post, by page model and handler, with fields that would act if it were let through.</summary>
    private static readonly Dictionary<string, (string Url, (string Key, string Value)[] Fields)> Forms = new()
    {
        ["IssuesModel.Import"] = ("/admin/issues?handler=Import", [("text", OtherDigest()), ("format", "")]),
        ["AdminIssueModel.Publish"] = ($"/admin/issues/{Draft}?handler=Publish", []),
        ["AdminIssueModel.Resend"] = ($"/admin/issues/{Published}?handler=Resend", []),
        ["AdminIssueModel.Schedule"] = ($"/admin/issues/{Draft}?handler=Schedule", []),
        ["AdminIssueModel.ScheduleAt"] = ($"/admin/issues/{Draft}?handler=ScheduleAt", [("at", "2099-01-05T09:00")]),
        ["AdminIssueModel.Unschedule"] = ($"/admin/issues/{Published}?handler=Unschedule", []),
        ["AdminIssueModel.Topics"] = ($"/admin/issues/{Draft}?handler=Topics", [("number", "1"), ("topics", "agents")]),
        ["AdminArticleModel.Draft"] = ($"/admin/issues/{Draft}/article?handler=Draft", []),
        ["AdminArticleModel.Publish"] = ($"/admin/issues/{Draft}/article?handler=Publish", []),
        ["BroadcastModel.Preview"] = ("/admin/broadcast?handler=Preview", [("text", "一个钓鱼链接"), ("lang", "zh")]),
        ["BroadcastModel.Send"] = ("/admin/broadcast?handler=Send", [("text", "一个钓鱼链接"), ("key", "k")]),
        ["LogoutModel."] = ("/admin/logout", []),
        ["LogoutModel.Everywhere"] = ("/admin/logout?handler=Everywhere", []),
    };

    public static TheoryData<string> FormNames => new(Forms.Keys);

    [Fact]
    public void EveryFormTheAdminPagesPostIsCheckedHere()
    {
        var handlers = typeof(Program).Assembly.GetTypes()
            .Where(t => t.Namespace == "PaperBot.Pages.Admin" && t.IsSubclassOf(typeof(PageModel)) && t.Name != "LoginModel")
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
                .Where(m => m.Name.StartsWith("OnPost", StringComparison.Ordinal))
                .Select(m => $"{t.Name}.{m.Name["OnPost".Length..].Replace("Async", "", StringComparison.Ordinal)}"))
            .Order(StringComparer.Ordinal);

        Assert.Equal(Forms.Keys.Order(StringComparer.Ordinal), handlers);
    }

    [Theory]
    [MemberData(nameof(FormNames))]
    public async Task AnAdminFormPostedWithTheSessionButWithoutItsAntiforgeryTokenIsRefusedAndChangesNothing(string form)
    {
        using var app = new PaperBotApp(AdminSession.WithPassword());
        var admin = AdminSession.For(app);
        await admin.LogInAsync();
        Assert.Equal(Draft, await AdminAccessTests.ImportDraftAsync(admin));
        var before = await FuzzTests.SnapshotAsync(app.DatabasePath, "AdminSessions");
        var (url, fields) = Forms[form];

        var response = await admin.Client.PostAsync(url, Body(fields));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(before, await FuzzTests.SnapshotAsync(app.DatabasePath, "AdminSessions"));
        Assert.Equal(0, await app.QueryAsync(db => db.AdminSessions.CountAsync(s => s.EndedAt != null)));
        Assert.Equal(HttpStatusCode.OK, (await admin.Client.GetAsync("/admin")).StatusCode);
    }

    [Theory]
    [MemberData(nameof(FormNames))]
    public async Task AnAdminFormPostedWithAValidTokenButNoSessionIsSentToTheLoginAndChangesNothing(string form)
    {
        using var app = new PaperBotApp(AdminSession.WithPassword());
        var admin = AdminSession.For(app);
        await admin.LogInAsync();
        Assert.Equal(Draft, await AdminAccessTests.ImportDraftAsync(admin));
        var stranger = AdminSession.For(app);
        var (url, fields) = Forms[form];
        // The token of the login form, which anyone may fetch: only the session is missing.
        var body = Body([.. fields, ("__RequestVerificationToken", await stranger.TokenAsync())]);
        var before = await FuzzTests.SnapshotAsync(app.DatabasePath, "AdminSessions");

        var response = await stranger.Client.PostAsync(url, body);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal($"/admin/login?returnUrl={Uri.EscapeDataString(url)}", response.Headers.Location?.PathAndQuery);
        Assert.Equal(before, await FuzzTests.SnapshotAsync(app.DatabasePath, "AdminSessions"));
        Assert.Equal(0, await app.QueryAsync(db => db.AdminSessions.CountAsync(s => s.EndedAt != null)));
    }

    private static FormUrlEncodedContent Body(IEnumerable<(string Key, string Value)> fields) =>
        new(fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value)));

    private static string OtherDigest() =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "samples", "digest-sample.txt")).Replace("超越 Transformer", "超越 LSTM", StringComparison.Ordinal);
}
