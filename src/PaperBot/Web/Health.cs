using Microsoft.Extensions.Diagnostics.HealthChecks;
using PaperBot.Core.Data;
using PaperBot.Hosting;

namespace PaperBot.Web;

/// <summary>
/// GET /healthz: 200 {"status":"healthy","database":"healthy","warmup":"healthy"} while the database answers, 503 while it
/// does not or while the start-up's warm-up runs (<see cref="ServingWarmup"/>). HEAD too, as uptime monitors ask: the
/// same status, and the server leaves out the body.
/// </summary>
public static class Health
{
    public static IServiceCollection AddPaperBotHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database");
        return services;
    }

    // Not a health check of its own: the health check service logs every unhealthy check as an error, and a start that
    // is warming up is no error.
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapMethods("/healthz", [HttpMethods.Get, HttpMethods.Head], async (
            HttpContext http, HealthCheckService checks, ServingWarmup warmup, CancellationToken cancellationToken) =>
        {
            var report = await checks.CheckHealthAsync(cancellationToken);
            var warm = warmup.IsWarm;
            var status = warm ? report.Status : HealthStatus.Unhealthy;
            var body = new Dictionary<string, string> { ["status"] = Name(status) };
            foreach (var (name, entry) in report.Entries)
                body[name] = Name(entry.Status);
            body["warmup"] = Name(warm ? HealthStatus.Healthy : HealthStatus.Unhealthy);
            http.Response.Headers.CacheControl = "no-store, no-cache";
            return Results.Json(body, statusCode: status == HealthStatus.Healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
        });
        return app;
    }

    private static string Name(HealthStatus status) => status.ToString().ToLowerInvariant();

    private sealed class DatabaseHealthCheck(PaperBotDbContext db) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            await db.Database.CanConnectAsync(cancellationToken) ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("database unreachable");
    }
}
