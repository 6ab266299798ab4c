using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using PaperBot.Core.Configuration;
using PaperBot.Core.Sending;
using PaperBot.Web;

namespace PaperBot.Hosting;

/// <summary>The <c>Metrics</c> section.</summary>
public sealed class MetricsOptions : IValidatedOptions
{
    public const string Section = "Metrics";

    /// <summary>The bearer token a scraper sends to /metrics; empty = only this machine and the trusted proxies may scrape.</summary>
    public string Token { get; set; } = "";

    public IEnumerable<string> Validate()
    {
        // No value is echoed: it is a credential.
        if (Token.Length > 0 && (Token.Length < 16 || Token.Any(char.IsWhiteSpace)))
            yield return "Metrics:Token must be at least 16 characters without spaces (or empty to serve /metrics to this machine and the trusted proxies only)";
    }
}

/// <summary>
/// GET /metrics: Prometheus metrics through OpenTelemetry — messages sent and failed by channel, queue depth, send
/// latency. With Metrics:Token set it answers only <c>Authorization: Bearer TOKEN</c> (401 otherwise); without it,
/// only requests from this machine or a trusted proxy (403 otherwise).
/// </summary>
public static class Telemetry
{
    public const string Path = "/metrics";

    public static IHostApplicationBuilder AddTelemetry(this IHostApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<MetricsOptions>(MetricsOptions.Section);
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(DeliveryMetrics.MeterName)
            .AddPrometheusExporter());
        return builder;
    }

    public static WebApplication MapTelemetry(this WebApplication app)
    {
        app.MapPrometheusScrapingEndpoint(Path, meterProvider: null, configureBranchedPipeline: branch => branch.Use(GateAsync), optionsName: null);
        return app;
    }

    private static Task GateAsync(HttpContext http, Func<Task> next)
    {
        var token = http.RequestServices.GetRequiredService<IOptions<MetricsOptions>>().Value.Token;
        if (token.Length > 0)
        {
            if (BearerMatches(http.Request.Headers.Authorization.ToString(), token))
                return next();
            http.Response.Headers.WWWAuthenticate = "Bearer";
            return Refuse(http, StatusCodes.Status401Unauthorized, "send Authorization: Bearer with Metrics__Token");
        }

        return http.RequestServices.GetRequiredService<IOptions<WebOptions>>().Value.IsLocalOrTrusted(http.Connection.RemoteIpAddress)
            ? next()
            : Refuse(http, StatusCodes.Status403Forbidden, "metrics are served to this machine and the trusted proxies only; set Metrics__Token to scrape from elsewhere");
    }

    private static bool BearerMatches(string header, string token) =>
        header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
        && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(header["Bearer ".Length..].Trim()), Encoding.UTF8.GetBytes(token));

    private static Task Refuse(HttpContext http, int status, string message)
    {
        http.Response.StatusCode = status;
        return http.Response.WriteAsJsonAsync(new JsonBody.ErrorBody(message));
    }
}
