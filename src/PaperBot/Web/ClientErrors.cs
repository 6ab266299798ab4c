namespace PaperBot.Web;

/// <summary>
/// A request body the client broke — a malformed chunked encoding, fewer bytes than its Content-Length, more than the
/// server takes — surfaces as <see cref="BadHttpRequestException"/> wherever the body happens to be read (a webhook, the
/// console, a form's anti-forgery check). It is the client's error: answered with the server's status for it (400,
/// 413…) and logged at debug, instead of reaching the log as an unhandled application error.
/// </summary>
public static class ClientErrors
{
    public static IApplicationBuilder UseClientErrors(this IApplicationBuilder app)
    {
        var logger = app.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ClientErrors).FullName!);
        return app.Use(async (http, next) =>
        {
            try
            {
                await next(http);
            }
            catch (BadHttpRequestException error) when (!http.Response.HasStarted)
            {
                logger.LogDebug("web: a {Method} to {Path} with a body the client broke: {Reason}", http.Request.Method, http.Request.Path, error.Message);
                http.Response.Clear();
                http.Response.StatusCode = error.StatusCode;
            }
        });
    }
}
