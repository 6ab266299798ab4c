using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Features;

namespace PaperBot.Web;

/// <summary>
/// What an error status without a body of its own carries. A browser asking for a public page that is not there (an
/// unknown address, an issue or a paper that does not exist) sees the site's not-found page: the request runs again
/// as <see cref="NotFoundPath"/>, keeping its 404. Everything else — the JSON API and the admin pages, other
/// statuses, clients that do not ask for HTML — keeps ASP.NET Core's one line of text.
/// </summary>
public static class StatusPages
{
    public const string NotFoundPath = "/not-found";

    public static IApplicationBuilder UseStatusPages(this IApplicationBuilder app)
    {
        var plain = new StatusCodePagesOptions().HandleAsync;
        return app.UseStatusCodePages(context => IsBrowserMissingAPage(context.HttpContext) ? ShowNotFoundAsync(context) : plain(context));
    }

    private static bool IsBrowserMissingAPage(HttpContext http) =>
        http.Response.StatusCode == StatusCodes.Status404NotFound
        && (HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method))
        && !http.Request.Path.StartsWithSegments("/api") && !http.Request.Path.StartsWithSegments("/admin")
        && http.Request.GetTypedHeaders().Accept.Any(accepted => accepted.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase));

    // What UseStatusCodePagesWithReExecute does, for this one case. The query stays: ?lang= still chooses the language.
    private static async Task ShowNotFoundAsync(StatusCodeContext context)
    {
        var http = context.HttpContext;
        var originalPath = http.Request.Path;
        // Routing ran for the original path; with its endpoint and values still set it would not run again.
        http.SetEndpoint(null);
        if (http.Features.Get<IRouteValuesFeature>() is { } routeValues)
            routeValues.RouteValues = null!;
        http.Request.Path = NotFoundPath;
        try
        {
            await context.Next(http);
        }
        finally
        {
            http.Request.Path = originalPath;
        }
    }
}
