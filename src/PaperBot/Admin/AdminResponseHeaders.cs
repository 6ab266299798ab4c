namespace PaperBot.Admin;

/// <summary>
/// Headers on every answer under /admin. Only this site may frame it — the article preview is framed by the admin page
/// itself — so another page cannot lay the publish button under a click. Anti-forgery sends X-Frame-Options too, but
/// only with a new anti-forgery cookie, that is on a browser's first form.
/// </summary>
public static class AdminResponseHeaders
{
    public static IApplicationBuilder UseAdminResponseHeaders(this IApplicationBuilder app) => app.Use((http, next) =>
    {
        if (http.Request.Path.StartsWithSegments("/admin", StringComparison.OrdinalIgnoreCase))
        {
            http.Response.OnStarting(() =>
            {
                var headers = http.Response.Headers;
                headers.XFrameOptions = "SAMEORIGIN";
                headers.ContentSecurityPolicy = "frame-ancestors 'self'";
                headers.XContentTypeOptions = "nosniff";
                return Task.CompletedTask;
            });
        }

        return next(http);
    });
}
