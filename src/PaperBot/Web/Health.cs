using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using PaperBot.Core.Data;
using PaperBot.Hosting;

namespace PaperBot.Web;

/// <summary>
/// GET /healthz: 200 {"status":"healthy","database":"healthy","warmup":"healthy"} while the database answers, 503 while it
/// does not or while the start-up's warm-up runs (<see cref="ServingWarmup"/>).
/// </summary>
public static class Health
{
    public static IServiceCollection AddPaperBotHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database").AddCheck<ServingWarmup.Check>("warmup");
        return services;
    }

    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/healthz", new HealthCheckOptions { ResponseWriter = WriteAsync });
        return app;
    }

    private static Task WriteAsync(HttpContext http, HealthReport report)
    {
        http.Response.ContentType = "application/json";
        var body = new Dictionary<string, string> { ["status"] = report.Status.ToString().ToLowerInvariant() };
        foreach (var (name, entry) in report.Entries)
            body[name] = entry.Status.ToString().ToLowerInvariant();
        return http.Response.WriteAsync(JsonSerializer.Serialize(body));
    }

    private sealed class DatabaseHealthCheck(PaperBotDbContext db) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            await db.Database.CanConnectAsync(cancellationToken) ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("database unreachable");
    }
}
