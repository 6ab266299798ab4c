using PaperBot.Tests.Admin;

namespace PaperBot.Tests.Security;

/// <summary>What every admin answer tells the browser: who may frame it and how to read it.</summary>
public sealed class AdminResponseHeaderTests
{
    [Fact]
    public async Task NoOtherSiteCanFrameAnAdminPageOnTheSecondVisitEither()
    {
        using var app = new PaperBotApp(AdminSession.WithPassword());
        var admin = AdminSession.For(app);
        await admin.LogInAsync();
        var draft = await AdminAccessTests.ImportDraftAsync(admin);

        // The anti-forgery cookie exists from the first page on; the pages after it are the ones a framer would show.
        string[] urls = ["/admin", $"/admin/issues/{draft}", $"/admin/issues/{draft}", $"/admin/issues/{draft}/article?handler=Preview", "/admin/api/pushes/1/progress"];
        foreach (var url in urls)
        {
            var response = await admin.Client.GetAsync(url);

            Assert.True(response.Headers.TryGetValues("X-Frame-Options", out var frame), url);
            Assert.Equal("SAMEORIGIN", Assert.Single(frame));
            Assert.Equal("frame-ancestors 'self'", Assert.Single(response.Headers.GetValues("Content-Security-Policy")));
            Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        }
    }

    [Fact]
    public async Task NoCacheKeepsWhatTheAdminSawSoADraftNeverReachesAReader()
    {
        using var app = new PaperBotApp(AdminSession.WithPassword());
        var admin = AdminSession.For(app);
        await admin.LogInAsync();
        var draft = await AdminAccessTests.ImportDraftAsync(admin);

        // The public addresses answer an admin session with drafts: a cache in front must not hand that answer to anyone.
        string[] urls = ["/api/issues", $"/api/issues/{draft}", $"/issues/{draft}", $"/admin/issues/{draft}/article?handler=Preview", $"/admin/issues/{draft}/article?handler=Html", "/admin/api/pushes/1/progress"];
        foreach (var url in urls)
        {
            var response = await admin.Client.GetAsync(url);

            Assert.True(response.IsSuccessStatusCode, $"{url}: {response.StatusCode}");
            Assert.True(response.Headers.CacheControl?.NoStore, $"{url}: Cache-Control {response.Headers.CacheControl}");
        }
    }
}
