using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using PaperBot.Core.Subscribers;
using PaperBot.Tests.Admin;
using PaperBot.Tests.Channels.WeChat;

namespace PaperBot.Tests.Security;

/// <summary>The counters several instances share — login failures, WeChat nonces, sessions — on PostgreSQL, where clusters keep them.</summary>
public sealed class SecurityOnPostgresTests
{
    private static Dictionary<string, string?> OnPostgres(params (string Key, string? Value)[] extra)
    {
        var settings = AdminSession.WithPassword(extra);
        settings["Storage:Provider"] = "Postgres";
        return settings;
    }

    [SkippableFact]
    public async Task LoginWaitsAndSessionsHoldOnPostgres()
    {
        TestServices.Requirements.Postgres();
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var app = new PaperBotApp(OnPostgres(("Admin:MaxFailuresPerAddress", "2"), ("Admin:MaxFailuresOverall", "2"))).WithService<TimeProvider>(clock);
        var guesser = AdminSession.For(app);

        await guesser.LogInAsync("guess 1");
        var second = await guesser.LogInAsync("guess 2");
        var refused = await guesser.LogInAsync();
        clock.Advance(TimeSpan.FromSeconds(1));
        var admin = AdminSession.For(app);
        admin.Client.DefaultRequestHeaders.Add("X-Forwarded-For", "198.51.100.7");
        await admin.TokenAsync();
        var login = admin.LogInAsync();
        while (!login.IsCompleted)
        {
            await Task.WhenAny(login, Task.Delay(20));
            clock.Advance(TimeSpan.FromMilliseconds(100));
        }

        Assert.Contains("wait 1 second before the next try", await second.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await login).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.Client.GetAsync("/admin")).StatusCode);
        await admin.PostAsync("/admin/logout");
        Assert.Equal(1, await app.QueryAsync(db => db.AdminSessions.CountAsync(s => s.EndedAt != null)));
    }

    [SkippableFact]
    public async Task WrongPasswordsSentToOneInstanceMakeTheAddressWaitOnTheOtherToo()
    {
        await using var database = await TestServices.PostgresDatabase.CreateAsync();
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var shared = OnPostgres(("ConnectionStrings:PaperBot", database.ConnectionString), ("Admin:MaxFailuresPerAddress", "2"));
        using var first = new PaperBotApp(shared).WithService<TimeProvider>(clock);
        using var second = new PaperBotApp(new Dictionary<string, string?>(shared) { ["Samples:ImportOnFirstStart"] = "false" }).WithService<TimeProvider>(clock);
        var here = AdminSession.For(first);
        var there = AdminSession.For(second);

        await here.LogInAsync("guess 1");
        await there.LogInAsync("guess 2");
        var refusedThere = await there.LogInAsync();
        var refusedHere = await here.LogInAsync();
        clock.Advance(TimeSpan.FromSeconds(1));
        var admitted = await there.LogInAsync();

        Assert.Equal(HttpStatusCode.TooManyRequests, refusedThere.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, refusedHere.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, admitted.StatusCode);
    }

    [SkippableFact]
    public async Task ALogoutOnOneInstanceEndsTheSessionOnAnotherWithinFiveSeconds()
    {
        await using var database = await TestServices.PostgresDatabase.CreateAsync();
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var shared = OnPostgres(("ConnectionStrings:PaperBot", database.ConnectionString));
        using var first = new PaperBotApp(shared);
        using var second = new PaperBotApp(new Dictionary<string, string?>(shared) { ["Samples:ImportOnFirstStart"] = "false" }).WithService<TimeProvider>(clock);
        var admin = AdminSession.For(first);
        var cookie = (await admin.LogInAsync()).Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("paperbot_admin=", StringComparison.Ordinal)).Split(';')[0];
        Assert.Equal(HttpStatusCode.OK, (await WithCookieAsync(second, cookie)).StatusCode);

        await admin.PostAsync("/admin/logout");
        clock.Advance(TimeSpan.FromSeconds(4));
        var remembered = await WithCookieAsync(second, cookie);
        clock.Advance(TimeSpan.FromSeconds(1));
        var ended = await WithCookieAsync(second, cookie);

        Assert.Equal(HttpStatusCode.OK, remembered.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, ended.StatusCode);
    }

    private static Task<HttpResponseMessage> WithCookieAsync(PaperBotApp app, string cookie)
    {
        var client = app.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = false });
        var request = new HttpRequestMessage(HttpMethod.Get, "/admin");
        request.Headers.Add("Cookie", cookie);
        return client.SendAsync(request);
    }

    [SkippableFact]
    public async Task AReplayedWeChatSignatureIsRefusedOnPostgres()
    {
        TestServices.Requirements.Postgres();
        await using var host = await WeChatHost.StartPlainAsync(new Dictionary<string, string?> { ["Storage:Provider"] = "Postgres" });
        var timestamp = WeChatHost.Timestamp();
        var genuine = WeChatHost.TextXml("oGenuine", "订阅");

        var first = await host.PostAsync(genuine, timestamp: timestamp, nonce: "5150");
        var forged = await host.PostAsync(WeChatHost.TextXml("oIntruder", "订阅"), timestamp: timestamp, nonce: "5150");
        var retry = await host.PostAsync(genuine, timestamp: timestamp, nonce: "5150");

        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await retry.Content.ReadAsStringAsync());
        Assert.Null(await host.SubscriberAsync("oIntruder"));
        Assert.Equal(SubscriberStatus.Active, (await host.SubscriberAsync("oGenuine"))!.Status);
    }

    [SkippableFact]
    public async Task AUrlSignatureUsedOnOneInstanceCannotCarryAnotherBodyToTheOther()
    {
        await using var database = await TestServices.PostgresDatabase.CreateAsync();
        var shared = new Dictionary<string, string?> { ["Storage:Provider"] = "Postgres", ["ConnectionStrings:PaperBot"] = database.ConnectionString };
        await using var first = await WeChatHost.StartPlainAsync(shared);
        await using var second = await WeChatHost.StartPlainAsync(new Dictionary<string, string?>(shared) { ["Samples:ImportOnFirstStart"] = "false" });
        var timestamp = WeChatHost.Timestamp();
        var genuine = WeChatHost.TextXml("oGenuine", "订阅");

        var answered = await first.PostAsync(genuine, timestamp: timestamp, nonce: "6160");
        var forged = await second.PostAsync(WeChatHost.TextXml("oIntruder", "订阅"), timestamp: timestamp, nonce: "6160");
        var retry = await second.PostAsync(genuine, timestamp: timestamp, nonce: "6160");

        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
        Assert.Null(await second.SubscriberAsync("oIntruder"));
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Assert.Equal(await answered.Content.ReadAsStringAsync(), await retry.Content.ReadAsStringAsync());
        Assert.Equal(1, await second.ReceiptCountAsync());
        Assert.Equal(SubscriberStatus.Active, (await first.SubscriberAsync("oGenuine"))!.Status);
    }
}
