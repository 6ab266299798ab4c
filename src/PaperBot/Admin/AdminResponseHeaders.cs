using PaperBot.Web;

namespace PaperBot.Admin;

/// <summary>
/// Headers on the admin's answers. Under /admin only this site may frame a page — the article preview is framed by the
/// admin page itself — so another page cannot lay the publish button under a click. Anti-forgery sends X-Frame-Options
/// too, but only with a new anti-forgery cookie, that is on a browser's first form. Nothing under /admin, and nothing
/// answered to an admin session (public addresses show it drafts), may be kept by a cache.
/// </summary>
public static class AdminResponseHeaders
{
    public static IApplicationBuilder UseAdminResponseHeaders(this IApplicationBuilder app) => app.Use((http, next) =>
    {
        var isAdminPath = http.Request.Path.StartsWithSegments("/admin", StringComparison.OrdinalIgnoreCase);
        // A reader's request carries no admin cookie: nothing to add, and no callback on the public hot path.
        if (!isAdminPath && !http.Request.Cookies.ContainsKey(AdminRegistration.CookieName))
            return next(http);
        http.Response.OnStarting(() =>
        {
            var headers = http.Response.Headers;
            if (isAdminPath)
            {
                headers.XFrameOptions = "SAMEORIGIN";
                headers.ContentSecurityPolicy = "frame-ancestors 'self'";
                headers.XContentTypeOptions = "nosniff";
            }

            // The session is known by now: authentication ran further down the pipeline, before the answer started.
            if (isAdminPath || WebAdmin.IsAdmin(http))
                headers.CacheControl = "no-store";
            return Task.CompletedTask;
        });
        return next(http);
    });
}
