using System.Text.Encodings.Web;
using System.Text.Unicode;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.WebEncoders;
using PaperBot.Core.Configuration;
using PaperBot.Hosting;

namespace PaperBot.Web;

public static class WebRegistration
{
    public static IHostApplicationBuilder AddWeb(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddValidatedOptions<WebOptions>(WebOptions.Section);
        services.AddRazorPages();
        services.Configure<WebEncoderOptions>(encoder => encoder.TextEncoderSettings = new TextEncoderSettings(UnicodeRanges.All));
        // Chinese and emoji stay readable in API responses instead of \uXXXX escapes.
        services.ConfigureHttpJsonOptions(json => json.SerializerOptions.Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping);
        services.AddPaperBotHealthChecks();
        // Behind a trusted proxy the client's address, the scheme (so Secure cookies) and the host are the proxy's
        // forwarded ones; from anyone else these headers are ignored. Every hop from the right is believed while it
        // is a trusted proxy, so a client cannot slip its own X-Forwarded-For past one.
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<WebOptions>>((forwarded, web) =>
        {
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
            forwarded.ForwardLimit = null;
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
            foreach (var network in web.Value.TrustedNetworks())
                forwarded.KnownIPNetworks.Add(network);
        });
        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.AddPolicy(ChatApi.RateLimitPolicy, http =>
            {
                // The start-up's warm-up (sent in-process, with no address) spends no client's messages.
                if (http.Items.ContainsKey(ServingWarmup.Marker))
                    return RateLimitPartition.GetNoLimiter("warm-up");
                var perMinute = http.RequestServices.GetRequiredService<IOptions<WebOptions>>().Value.ConsoleMessagesPerMinute;
                return RateLimitPartition.GetFixedWindowLimiter(
                    ClientNetwork.Of(http.Connection.RemoteIpAddress),
                    _ => new FixedWindowRateLimiterOptions { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1) });
            });
            limiter.OnRejected = (context, cancellationToken) =>
                new ValueTask(context.HttpContext.Response.WriteAsJsonAsync(new JsonBody.ErrorBody("too many messages; wait a minute"), cancellationToken));
        });
        return builder;
    }

    public static WebApplication MapWeb(this WebApplication app)
    {
        app.MapHealth();
        app.MapIssueApi();
        app.MapChatApi();
        app.MapAtomFeed();
        app.MapRazorPages();
        return app;
    }
}
