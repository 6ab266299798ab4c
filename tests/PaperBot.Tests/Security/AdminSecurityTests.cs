using System.Net;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using PaperBot.TestServices;
using PaperBot.Tests.Admin;

namespace PaperBot.Tests.Security;

/// <summary>
/// The admin page behind a reverse proxy and against a guesser: throttles that follow the real client address, Secure
/// cookies behind TLS, and sessions that end everywhere they were copied to.
/// </summary>
public sealed class AdminSecurityTests
{
    private static Dictionary<string, string> Proxied(string client, string scheme = "http") =>
        new() { ["X-Forwarded-For"] = client, ["X-Forwarded-Proto"] = scheme };

    [Fact]
    public async Task SixtyWrongLoginsFromOneForwardedAddressDoNotStopACorrectLoginFromAnother()
    {
        await using var host = HostProcess.Start(new Dictionary<string, string> { ["Admin__Password"] = AdminSession.Password });
        Assert.True(await host.WaitForHealthyAsync(TimeSpan.FromSeconds(30)), host.Output + host.Error);
        using var attacker = new RawBrowser(host.Address, Proxied("203.0.113.66"));
        using var admin = new RawBrowser(host.Address, Proxied("198.51.100.7"));

        var attempts = new List<HttpStatusCode>();
        for (var i = 0; i < 60; i++)
            attempts.Add((await attacker.LogInAsync($"guess {i}")).StatusCode);
        var login = await admin.LogInAsync(AdminSession.Password);

        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        Assert.Equal("/admin", login.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await admin.SendAsync(HttpMethod.Get, "/admin")).StatusCode);
        Assert.DoesNotContain(HttpStatusCode.Redirect, attempts);
        Assert.Contains(HttpStatusCode.TooManyRequests, attempts);
        Assert.True(await Eventually.HoldsAsync(() => Task.FromResult(host.Output.Contains("admin: login from 203.0.113.66 refused", StringComparison.Ordinal))), host.Output);
        Assert.True(await Eventually.HoldsAsync(() => Task.FromResult(host.Output.Contains("admin: logged in from 198.51.100.7", StringComparison.Ordinal))), host.Output);
    }

    [Fact]
    public async Task TheSessionCookieIsSecureHttpOnlyAndSameSiteBehindATrustedProxyOverHttps()
    {
        await using var host = HostProcess.Start(new Dictionary<string, string> { ["Admin__Password"] = AdminSession.Password });
        Assert.True(await host.WaitForHealthyAsync(TimeSpan.FromSeconds(30)), host.Output + host.Error);
        using var browser = new RawBrowser(host.Address, Proxied("198.51.100.7", "https"));

        var login = await browser.LogInAsync(AdminSession.Password);

        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        var session = Assert.Single(browser.SetCookies, c => c.StartsWith("paperbot_admin=", StringComparison.Ordinal)).ToLowerInvariant();
        Assert.Contains("; secure", session, StringComparison.Ordinal);
        Assert.Contains("; httponly", session, StringComparison.Ordinal);
        Assert.Contains("; samesite=strict", session, StringComparison.Ordinal);
        Assert.Contains("; secure", Assert.Single(browser.SetCookies, c => c.StartsWith("paperbot_antiforgery=", StringComparison.Ordinal)).ToLowerInvariant(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ForwardedHeadersFromAnAddressThatIsNoTrustedProxyAreIgnored()
    {
        await using var host = HostProcess.Start(new Dictionary<string, string>
        {
            ["Admin__Password"] = AdminSession.Password,
            ["Web__TrustedProxies__0"] = "10.20.30.0/24",
        });
        Assert.True(await host.WaitForHealthyAsync(TimeSpan.FromSeconds(30)), host.Output + host.Error);
        using var browser = new RawBrowser(host.Address, Proxied("198.51.100.7", "https"));

        var login = await browser.LogInAsync(AdminSession.Password);

        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        var session = Assert.Single(browser.SetCookies, c => c.StartsWith("paperbot_admin=", StringComparison.Ordinal)).ToLowerInvariant();
        Assert.DoesNotContain("secure", session, StringComparison.Ordinal);
        // The console logger writes from its own queue: the line may come a moment after the answer.
        Assert.True(await Eventually.HoldsAsync(() => Task.FromResult(host.Output.Contains("admin: logged in from 127.0.0.1", StringComparison.Ordinal))), host.Output);
    }

    [Fact]
    public async Task ACookieCopiedBeforeLogoutIsRefusedAfterIt()
    {
        using var app = new PaperBotApp(AdminSession.WithPassword());
        var admin = AdminSession.For(app);
        var login = await admin.LogInAsync();
        var copied = SessionCookie(login);
        Assert.Equal(HttpStatusCode.OK, (await WithCookieAsync(app, copied, "/admin")).StatusCode);

        var logout = await admin.PostAsync("/admin/logout");

        Assert.Equal(HttpStatusCode.Redirect, logout.StatusCode);
        var replayed = await WithCookieAsync(app, copied, "/admin");
        Assert.Equal(HttpStatusCode.Redirect, replayed.StatusCode);
        Assert.Equal("/admin/login?returnUrl=%2Fadmin", replayed.Headers.Location?.PathAndQuery);
        Assert.Equal(HttpStatusCode.Unauthorized, (await WithCookieAsync(app, copied, "/admin/api/pushes/1/progress")).StatusCode);
    }

    [Fact]
    public async Task SignOutEverywhereEndsTheSessionsOfEveryBrowser()
    {
        using var app = new PaperBotApp(AdminSession.WithPassword());
        var laptop = AdminSession.For(app);
        var phone = AdminSession.For(app);
        await laptop.LogInAsync();
        await phone.LogInAsync();
        Assert.Equal(HttpStatusCode.OK, (await phone.Client.GetAsync("/admin")).StatusCode);

        var everywhere = await laptop.PostAsync("/admin/logout?handler=Everywhere");

        Assert.Equal(HttpStatusCode.Redirect, everywhere.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await phone.Client.GetAsync("/admin")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await laptop.Client.GetAsync("/admin")).StatusCode);
        Assert.Contains(await app.QueryAsync(db => db.AuditLog.Select(e => e.Detail).ToListAsync()), d => d.StartsWith("2 sessions, signed out everywhere", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AStartWithAnotherPasswordEndsTheSessionsOfTheOldOneAndTheSamePasswordKeepsThem()
    {
        var directory = Directory.CreateTempSubdirectory("paperbot-admin-password-").FullName;
        try
        {
            var database = ("ConnectionStrings:PaperBot", $"Data Source={Path.Combine(directory, "paperbot.db")}");
            string cookie;
            using (var before = new PaperBotApp(AdminSession.WithPassword(database)))
                cookie = SessionCookie(await AdminSession.For(before).LogInAsync());

            using (var samePassword = new PaperBotApp(AdminSession.WithPassword(database, ("Samples:ImportOnFirstStart", "false"))))
                Assert.Equal(HttpStatusCode.OK, (await WithCookieAsync(samePassword, cookie, "/admin")).StatusCode);

            using var changed = new PaperBotApp(new Dictionary<string, string?>
            {
                ["Admin:Password"] = "a new password, after a leak",
                [database.Item1] = database.Item2,
                ["Samples:ImportOnFirstStart"] = "false",
            });
            Assert.Equal(HttpStatusCode.Redirect, (await WithCookieAsync(changed, cookie, "/admin")).StatusCode);
            Assert.Contains(await changed.QueryAsync(db => db.AuditLog.Select(e => e.Detail).ToListAsync()), d => d == "1 sessions: the password changed");
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task TwelveWrongPasswordsSentAtOnceFromOneAddressGetThreeTriesAndNoMore()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var app = new PaperBotApp(AdminSession.WithPassword(("Admin:MaxFailuresPerAddress", "3"), ("Admin:MaxFailuresOverall", "100"))).WithService<TimeProvider>(clock);
        var guessers = new List<(AdminSession Session, string Token)>();
        for (var i = 0; i < 12; i++)
        {
            var guesser = AdminSession.For(app);
            guesser.Client.DefaultRequestHeaders.Add("X-Forwarded-For", "203.0.113.9");
            guessers.Add((guesser, await guesser.TokenAsync()));
        }

        var answers = await Task.WhenAll(guessers.Select((g, i) => g.Session.Client.PostAsync("/admin/login",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["password"] = $"guess {i}", ["__RequestVerificationToken"] = g.Token }))));

        Assert.Equal(3, answers.Count(a => a.StatusCode == HttpStatusCode.Unauthorized));
        Assert.Equal(9, answers.Count(a => a.StatusCode == HttpStatusCode.TooManyRequests));
        Assert.Equal(3, await app.QueryAsync(db => db.AuditLog.CountAsync(e => e.Action == "login-failed")));
    }

    // The turn is held as a slow database holds it: another connection keeps SQLite's write lock, so the first wrong
    // password waits in its turn to be counted while the rest queue behind it. Twenty addresses with no failures yet.
    [Fact]
    public async Task LoginsBeyondSixteenWaitingForTheirTurnAreRefusedWith429AndChangeNothing()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var app = new PaperBotApp(AdminSession.WithPassword(("Admin:MaxFailuresOverall", "100"), ("Storage:BusyTimeout", "00:05:00"))).WithService<TimeProvider>(clock);
        var guessers = new List<(AdminSession Session, string Token)>();
        for (var i = 1; i <= 20; i++)
        {
            var guesser = AdminSession.For(app);
            guesser.Client.DefaultRequestHeaders.Add("X-Forwarded-For", $"203.0.113.{i}");
            guessers.Add((guesser, await guesser.TokenAsync()));
        }

        await using var writer = new SqliteConnection($"Data Source={app.DatabasePath}");
        await writer.OpenAsync();
        await using (var hold = new SqliteCommand("BEGIN IMMEDIATE", writer))
            await hold.ExecuteNonQueryAsync();
        var pending = guessers.Select((g, i) => g.Session.Client.PostAsync("/admin/login",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["password"] = $"guess {i}", ["__RequestVerificationToken"] = g.Token }))).ToList();

        // One holds the turn and sixteen wait for it: the other three are answered while the lock is still held.
        var refused = new List<HttpResponseMessage>();
        while (refused.Count < 3)
        {
            var answered = await Task.WhenAny(pending).WaitAsync(TimeSpan.FromSeconds(20));
            pending.Remove(answered);
            refused.Add(await answered);
        }

        Assert.All(refused, r => Assert.Equal(HttpStatusCode.TooManyRequests, r.StatusCode));
        Assert.All(refused, r => Assert.Equal("1", r.Headers.GetValues("Retry-After").Single()));
        foreach (var answer in refused)
        {
            var page = await answer.Content.ReadAsStringAsync();
            Assert.Contains("Too many logins are waiting to be checked: try again in 1 second.", page, StringComparison.Ordinal);
            Assert.DoesNotContain("failed logins from your address", page, StringComparison.Ordinal);
        }

        Assert.Equal(17, pending.Count(p => !p.IsCompleted));
        await using (var release = new SqliteCommand("ROLLBACK", writer))
            await release.ExecuteNonQueryAsync();
        var waited = await Task.WhenAll(pending);

        Assert.All(waited, w => Assert.Equal(HttpStatusCode.Unauthorized, w.StatusCode));
        Assert.Equal(17, await app.QueryAsync(db => db.AuditLog.CountAsync(e => e.Action == "login-failed")));
        Assert.Equal(17, await app.QueryAsync(db => db.LoginFailures.Where(t => t.Key == "account:admin").Select(t => t.Failures).SingleAsync()));
        Assert.Equal(17, await app.QueryAsync(db => db.LoginFailures.CountAsync(t => t.Key.StartsWith("address:"))));
    }

    [Fact]
    public async Task AnIPv6GuesserCountsAsOneAddressForItsWholeSlash64()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var app = new PaperBotApp(AdminSession.WithPassword(("Admin:MaxFailuresPerAddress", "3"), ("Admin:MaxFailuresOverall", "100"))).WithService<TimeProvider>(clock);
        async Task<HttpStatusCode> GuessFromAsync(string address)
        {
            var guesser = AdminSession.For(app);
            guesser.Client.DefaultRequestHeaders.Add("X-Forwarded-For", address);
            return (await guesser.LogInAsync("a guess")).StatusCode;
        }

        foreach (var address in new[] { "2001:db8:1:2::1", "2001:db8:1:2::2", "2001:db8:1:2:ffff::3" })
            Assert.Equal(HttpStatusCode.Unauthorized, await GuessFromAsync(address));

        Assert.Equal(HttpStatusCode.TooManyRequests, await GuessFromAsync("2001:db8:1:2:abcd::4"));
        Assert.Equal(HttpStatusCode.Unauthorized, await GuessFromAsync("2001:db8:1:3::1"));
    }

    [Fact]
    public async Task WrongPasswordsLeaveTheAuditLogAfterTheRetentionAndEveryOtherEntryStays()
    {
        using var app = new PaperBotApp(AdminSession.WithPassword(("Retention:Days", "30")));
        Assert.Equal(HttpStatusCode.Unauthorized, (await AdminSession.For(app).LogInAsync("a guess")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await AdminSession.For(app).LogInAsync()).StatusCode);
        await app.QueryAsync(db => db.AuditLog.ExecuteUpdateAsync(e => e.SetProperty(x => x.At, DateTimeOffset.UtcNow.AddDays(-31))));
        Assert.Equal(HttpStatusCode.Unauthorized, (await AdminSession.For(app).LogInAsync("a later guess")).StatusCode);

        await using var scope = app.Services.CreateAsyncScope();
        var pruned = await scope.ServiceProvider.GetRequiredService<PaperBot.Core.Data.Housekeeping>().PruneAsync(CancellationToken.None);

        Assert.Equal(1, pruned.FailedLogins);
        var left = await app.QueryAsync(db => db.AuditLog.OrderBy(e => e.Id).Select(e => e.Action).ToListAsync());
        Assert.Equal(["import", "publish", "login", "login-failed"], left);
    }

    [Fact]
    public async Task FailuresSpreadOverManyAddressesSlowEveryLoginButNeverRefuseIt()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var app = new PaperBotApp(AdminSession.WithPassword(("Admin:MaxFailuresPerAddress", "3"), ("Admin:MaxFailuresOverall", "3"))).WithService<TimeProvider>(clock);
        foreach (var guesser in new[] { "203.0.113.1", "203.0.113.2", "203.0.113.3" })
        {
            var attempt = AdminSession.For(app);
            attempt.Client.DefaultRequestHeaders.Add("X-Forwarded-For", guesser);
            Assert.Equal(HttpStatusCode.Unauthorized, (await attempt.LogInAsync("a guess")).StatusCode);
        }

        var admin = AdminSession.For(app);
        admin.Client.DefaultRequestHeaders.Add("X-Forwarded-For", "198.51.100.7");
        await admin.TokenAsync();
        var login = admin.LogInAsync();
        var waited = TimeSpan.Zero;
        while (!login.IsCompleted && waited < TimeSpan.FromMinutes(1))
        {
            await Task.WhenAny(login, Task.Delay(20));
            if (login.IsCompleted)
                break;
            clock.Advance(TimeSpan.FromMilliseconds(100));
            waited += TimeSpan.FromMilliseconds(100);
        }

        Assert.Equal(HttpStatusCode.Redirect, (await login).StatusCode);
        Assert.True(waited >= TimeSpan.FromSeconds(1), $"the login was answered after {waited} on the host's clock");
    }

    private static string SessionCookie(HttpResponseMessage login) =>
        login.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("paperbot_admin=", StringComparison.Ordinal)).Split(';')[0];

    private static Task<HttpResponseMessage> WithCookieAsync(PaperBotApp app, string cookie, string url)
    {
        var client = app.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = false });
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Add("Cookie", cookie);
        return client.SendAsync(request);
    }
}
