using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using PaperBot.Core.Issues;

namespace PaperBot.Tests.Admin;

/// <summary>Who gets in: the password, the one-time password, anti-forgery, the lock-out, and every URL without a session.</summary>
public sealed class AdminAccessTests
{
    public static TheoryData<string> Pages => new()
    {
        "/admin", "/admin/issues", "/admin/issues/1", "/admin/pushes/1", "/admin/broadcast", "/admin/subscribers", "/admin/logout",
        "/admin/subscribers?q=1&channel=Telegram&p=2",
    };

    public static TheoryData<string> Json => new() { "/admin/api/pushes/1/progress", "/admin/api/pushes/1/events" };

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task EveryAdminPageWithoutASessionRedirectsToTheLogin(string url)
    {
        using var app = new PaperBotApp(AdminSession.WithPassword());
        var response = await AdminSession.For(app).Client.GetAsync(url);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal($"/admin/login?returnUrl={Uri.EscapeDataString(url)}", response.Headers.Location?.PathAndQuery);
    }

    [Theory]
    [MemberData(nameof(Json))]
    public async Task EveryAdminJsonEndpointWithoutASessionAnswers401(string url)
    {
        using var app = new PaperBotApp(AdminSession.WithPassword());
        var response = await AdminSession.For(app).Client.GetAsync(url);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("log in", (await response.Content.ReadFromJsonAsync<Dictionary<string, string>>())!["error"], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/admin/issues/1?handler=Publish")]
    [InlineData("/admin/issues?handler=Import")]
    [InlineData("/admin/broadcast?handler=Send")]
    [InlineData("/admin/logout")]
    public async Task FormPostsWithoutASessionAreRefusedAndChangeNothing(string url)
    {
        using var app = new PaperBotApp(AdminSession.WithPassword(("Samples:ImportOnFirstStart", "false")));
        var response = await AdminSession.For(app).Client.PostAsync(url, new FormUrlEncodedContent(new Dictionary<string, string> { ["text"] = "hello" }));

        Assert.Contains(response.StatusCode, new[] { HttpStatusCode.Redirect, HttpStatusCode.BadRequest });
        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0, await app.CountAsync<Core.Publishing.Push>());
        Assert.Equal(0, await app.CountAsync<Issue>());
    }

    [Fact]
    public async Task TheConfiguredPasswordOpensASession()
    {
        using var app = new PaperBotApp(AdminSession.WithPassword());
        var admin = AdminSession.For(app);

        var login = await admin.LogInAsync(returnUrl: "/admin/subscribers");

        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        Assert.Equal("/admin/subscribers", login.Headers.Location?.OriginalString);
        var cookie = Assert.Single(login.Headers.GetValues("Set-Cookie"), c => c.StartsWith("paperbot_admin=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.OK, (await admin.Client.GetAsync("/admin")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.Client.GetAsync("/admin/api/pushes/1/progress")).StatusCode);
    }

    [Fact]
    public async Task AWrongPasswordIsRefusedWithoutASession()
    {
        using var app = new PaperBotApp(AdminSession.WithPassword());
        var admin = AdminSession.For(app);

        var login = await admin.LogInAsync("not the password");

        Assert.Equal(HttpStatusCode.Unauthorized, login.StatusCode);
        Assert.Contains("Wrong password", await login.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(login.Headers.TryGetValues("Set-Cookie", out var cookies) ? cookies : [], c => c.StartsWith("paperbot_admin=", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.Redirect, (await admin.Client.GetAsync("/admin")).StatusCode);
        Assert.Contains(await app.QueryAsync(db => db.AuditLog.Select(e => e.Action).ToListAsync()), a => a == "login-failed");
    }

    [Fact]
    public async Task ALoginWithoutTheAntiforgeryTokenIsRefused()
    {
        using var app = new PaperBotApp(AdminSession.WithPassword());
        var admin = AdminSession.For(app);
        await admin.TokenAsync();

        var login = await admin.Client.PostAsync("/admin/login", new FormUrlEncodedContent(new Dictionary<string, string> { ["password"] = AdminSession.Password }));

        Assert.Equal(HttpStatusCode.BadRequest, login.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await admin.Client.GetAsync("/admin")).StatusCode);
    }

    [Fact]
    public async Task AnAdminActionWithoutTheAntiforgeryTokenIsRefusedAndPublishesNothing()
    {
        using var app = new PaperBotApp(AdminSession.WithPassword());
        var admin = AdminSession.For(app);
        await admin.LogInAsync();
        var draft = await ImportDraftAsync(admin);

        var publish = await admin.Client.PostAsync($"/admin/issues/{draft}?handler=Publish", new FormUrlEncodedContent(new Dictionary<string, string>()));

        Assert.Equal(HttpStatusCode.BadRequest, publish.StatusCode);
        Assert.Equal(IssueStatus.Draft, await app.QueryAsync(db => db.Issues.Where(i => i.Id == draft).Select(i => i.Status).SingleAsync()));
    }

    [Fact]
    public async Task FromTheFifthFailureAnAddressWaitsLongerAfterEachOneEvenWithTheRightPassword()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var app = new PaperBotApp(AdminSession.WithPassword()).WithService<TimeProvider>(clock);
        var admin = AdminSession.For(app);

        for (var i = 1; i <= 4; i++)
            Assert.Equal(HttpStatusCode.Unauthorized, (await admin.LogInAsync($"guess {i}")).StatusCode);
        var fifth = await admin.LogInAsync("guess 5");
        var tooSoon = await admin.LogInAsync();

        Assert.Equal(HttpStatusCode.Unauthorized, fifth.StatusCode);
        Assert.Contains("wait 1 second before the next try", await fifth.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.TooManyRequests, tooSoon.StatusCode);
        Assert.Equal("1", tooSoon.Headers.RetryAfter?.ToString());
        Assert.Contains("Too many failed logins from your address: try again in 1 second.", await tooSoon.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        clock.Advance(TimeSpan.FromSeconds(1));
        var sixth = await admin.LogInAsync("guess 6");
        clock.Advance(TimeSpan.FromSeconds(1));
        var stillWaiting = await admin.LogInAsync();
        clock.Advance(TimeSpan.FromSeconds(1));
        var right = await admin.LogInAsync();

        Assert.Contains("wait 2 seconds before the next try", await sixth.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.TooManyRequests, stillWaiting.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, right.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.Client.GetAsync("/admin")).StatusCode);
        var actions = await app.QueryAsync(db => db.AuditLog.Where(e => e.Actor == "web:admin").Select(e => e.Action).ToListAsync());
        Assert.Equal(6, actions.Count(a => a == "login-failed"));
        Assert.Single(actions, a => a == "login");
    }

    [Fact]
    public async Task AnAddressesFailuresAreForgottenTwiceTheLongestWaitAfterTheLastOneAndALoginClearsThem()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var app = new PaperBotApp(AdminSession.WithPassword(("Admin:MaxFailuresPerAddress", "2"), ("Admin:MaxLoginWait", "00:00:10")))
            .WithService<TimeProvider>(clock);
        var admin = AdminSession.For(app);
        async Task<string> GuessAsync(AdminSession from, string password)
        {
            var response = await from.LogInAsync(password);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            var page = await response.Content.ReadAsStringAsync();
            var match = System.Text.RegularExpressions.Regex.Match(page, "wait (\\d+) seconds? before the next try");
            return match.Success ? match.Groups[1].Value : "no wait";
        }

        Assert.Equal("no wait", await GuessAsync(admin, "guess 1"));
        Assert.Equal("1", await GuessAsync(admin, "guess 2"));
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("2", await GuessAsync(admin, "guess 3"));
        // Still remembered just under twice Admin:MaxLoginWait after the last failure…
        clock.Advance(TimeSpan.FromSeconds(19));
        Assert.Equal("4", await GuessAsync(admin, "guess 4"));
        // …and forgotten once that time is past: the next wrong password is the address's first.
        clock.Advance(TimeSpan.FromSeconds(20) + TimeSpan.FromMilliseconds(1));
        Assert.Equal("no wait", await GuessAsync(admin, "guess 5"));
        Assert.Equal("1", await GuessAsync(admin, "guess 6"));
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.Redirect, (await admin.LogInAsync()).StatusCode);

        Assert.Equal("no wait", await GuessAsync(AdminSession.For(app), "guess 7"));
    }

    // The cookie handler reads the host's TimeProvider (AuthenticationSchemeOptions.TimeProvider), so the session's
    // age is the injected clock's. Sliding expiry renews a session used in the second half of its length, not before.
    [Fact]
    public async Task AnIdleSessionEndsAfterAdminSessionAndTheAdminPageAsksForTheLoginAgain()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var app = new PaperBotApp(AdminSession.WithPassword(("Admin:Session", "00:30:00"))).WithService<TimeProvider>(clock);
        var admin = AdminSession.For(app);
        Assert.Equal(HttpStatusCode.Redirect, (await admin.LogInAsync()).StatusCode);

        clock.Advance(TimeSpan.FromMinutes(20));
        var used = await admin.Client.GetAsync("/admin");
        clock.Advance(TimeSpan.FromMinutes(29));
        var stillOpen = await admin.Client.GetAsync("/admin/issues");
        clock.Advance(TimeSpan.FromMinutes(30) + TimeSpan.FromSeconds(1));
        var expired = await admin.Client.GetAsync("/admin/subscribers");

        Assert.Equal(HttpStatusCode.OK, used.StatusCode);
        Assert.Equal(HttpStatusCode.OK, stillOpen.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, expired.StatusCode);
        Assert.Equal("/admin/login?returnUrl=%2Fadmin%2Fsubscribers", expired.Headers.Location?.PathAndQuery);
        Assert.Equal(HttpStatusCode.Unauthorized, (await admin.Client.GetAsync("/admin/api/pushes/1/progress")).StatusCode);
    }

    [Fact]
    public async Task ASessionUsedOnlyInItsFirstHalfIsNotRenewed()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var app = new PaperBotApp(AdminSession.WithPassword(("Admin:Session", "00:30:00"))).WithService<TimeProvider>(clock);
        var admin = AdminSession.For(app);
        Assert.Equal(HttpStatusCode.Redirect, (await admin.LogInAsync()).StatusCode);

        clock.Advance(TimeSpan.FromMinutes(10));
        var used = await admin.Client.GetAsync("/admin");
        clock.Advance(TimeSpan.FromMinutes(20) + TimeSpan.FromSeconds(1));
        var expired = await admin.Client.GetAsync("/admin");

        Assert.Equal(HttpStatusCode.OK, used.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, expired.StatusCode);
        Assert.Equal("/admin/login?returnUrl=%2Fadmin", expired.Headers.Location?.PathAndQuery);
    }

    [Fact]
    public async Task WithoutAPasswordAOneTimePasswordIsLoggedOnceAndWorksForThatRunOnly()
    {
        var firstLogs = new LogCapture();
        var secondLogs = new LogCapture();
        using var first = new PaperBotApp().WithLogs(firstLogs);
        using var second = new PaperBotApp().WithLogs(secondLogs);
        var firstAdmin = AdminSession.For(first);
        var secondAdmin = AdminSession.For(second);

        var firstPassword = OneTimePassword(firstLogs);
        var secondPassword = OneTimePassword(secondLogs);

        Assert.NotEqual(firstPassword, secondPassword);
        Assert.Equal(HttpStatusCode.Unauthorized, (await secondAdmin.LogInAsync(firstPassword)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await firstAdmin.LogInAsync(firstPassword)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await firstAdmin.Client.GetAsync("/admin")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await secondAdmin.LogInAsync(secondPassword)).StatusCode);
        Assert.Single(firstLogs.Lines, l => l.Contains("one-time password", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AConfiguredPasswordIsNeverLogged()
    {
        var logs = new LogCapture();
        using var app = new PaperBotApp(AdminSession.WithPassword(("Logging:LogLevel:Default", "Information"))).WithLogs(logs);
        var admin = AdminSession.For(app);

        await admin.LogInAsync();
        await AdminSession.For(app).LogInAsync("wrong");

        Assert.DoesNotContain(logs.Lines, l => l.Contains("one-time password", StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Lines, l => l.Contains(AdminSession.Password, StringComparison.Ordinal));
        Assert.Contains(logs.Lines, l => l.Contains("admin: logged in from", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SessionsSurviveARestartBecauseTheKeysAreInTheDatabase()
    {
        var directory = Directory.CreateTempSubdirectory("paperbot-admin-restart-").FullName;
        try
        {
            var settings = AdminSession.WithPassword(("ConnectionStrings:PaperBot", $"Data Source={Path.Combine(directory, "paperbot.db")}"));
            string cookie;
            using (var before = new PaperBotApp(settings))
            {
                var login = await AdminSession.For(before).LogInAsync();
                cookie = login.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("paperbot_admin=", StringComparison.Ordinal)).Split(';')[0];
            }

            using var after = new PaperBotApp(settings);
            var client = after.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = false });
            using var request = new HttpRequestMessage(HttpMethod.Get, "/admin");
            request.Headers.Add("Cookie", cookie);
            Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(request)).StatusCode);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task LoggingOutEndsTheSessionAndIsAudited()
    {
        using var app = new PaperBotApp(AdminSession.WithPassword());
        var admin = AdminSession.For(app);
        await admin.LogInAsync();

        var logout = await admin.PostAsync("/admin/logout");

        Assert.Equal(HttpStatusCode.Redirect, logout.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await admin.Client.GetAsync("/admin")).StatusCode);
        Assert.Contains(await app.QueryAsync(db => db.AuditLog.Select(e => e.Action).ToListAsync()), a => a == "logout");
    }

    [Fact]
    public async Task TheLoginPageSendsNobodyOffSite()
    {
        using var app = new PaperBotApp(AdminSession.WithPassword());
        var login = await AdminSession.For(app).LogInAsync(returnUrl: "https://evil.example/phish");

        Assert.Equal("/admin", login.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task AnAdminSessionAlsoSeesDraftsInTheJsonApiAndMayPublishFromTheConsole()
    {
        using var app = new PaperBotApp(AdminSession.WithPassword());
        var admin = AdminSession.For(app);
        await admin.LogInAsync();
        var draft = await ImportDraftAsync(admin);

        var issues = await admin.Client.GetFromJsonAsync<List<Dictionary<string, object>>>("/api/issues");
        var anonymous = await app.CreateClient().GetFromJsonAsync<List<Dictionary<string, object>>>("/api/issues");
        var adminStats = await admin.Client.ChatAsync("/stats");
        var anonymousStats = await app.CreateClient().ChatAsync("/stats");

        Assert.Contains(issues!, i => i["id"].ToString() == draft.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.DoesNotContain(anonymous!, i => i["id"].ToString() == draft.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Contains("只对管理员开放", anonymousStats.Replies[0].Text, StringComparison.Ordinal);
        Assert.DoesNotContain("只对管理员开放", adminStats.Replies[0].Text, StringComparison.Ordinal);
    }

    internal static async Task<int> ImportDraftAsync(AdminSession admin)
    {
        var text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "samples", "digest-sample.txt")).Replace("超越 Transformer", "超越 RNN", StringComparison.Ordinal);
        var response = await admin.PostAsync("/admin/issues?handler=Import", [new("text", text), new("format", "")], "/admin/issues");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return int.Parse(response.Headers.Location!.OriginalString.Split('/')[^1], System.Globalization.CultureInfo.InvariantCulture);
    }

    private static string OneTimePassword(LogCapture logs)
    {
        var line = Assert.Single(logs.Lines, l => l.Contains("one-time password for this run: ", StringComparison.Ordinal));
        var password = line.Split("one-time password for this run: ")[1].Split(' ')[0];
        Assert.Equal(16, password.Length);
        return password;
    }
}
