using OpenTelemetry.Metrics;
using PaperBot.Core.Sending;

namespace PaperBot.Hosting;

/// <summary>GET /metrics: Prometheus metrics through OpenTelemetry — messages sent and failed by channel, queue depth, send latency.</summary>
public static class Telemetry
{
    public static IHostApplicationBuilder AddTelemetry(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(DeliveryMetrics.MeterName)
            .AddPrometheusExporter());
        return builder;
    }

    public static WebApplication MapTelemetry(this WebApplication app)
    {
        app.MapPrometheusScrapingEndpoint("/metrics");
        return app;
    }
}
