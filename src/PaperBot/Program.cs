using PaperBot.Admin;
using PaperBot.Channels.Telegram;
using PaperBot.Channels.WeChat;
using PaperBot.Cli;
using PaperBot.Core;
using PaperBot.Hosting;
using PaperBot.Scheduling;
using PaperBot.Web;

return await ConfigurationErrors.RunAsync(async () =>
{
    if (CommandLine.IsVerb(args))
        return await CommandLine.RunAsync(args);

    var builder = WebApplication.CreateBuilder(new WebApplicationOptions
    {
        Args = args,
        WebRootPath = Path.Combine(AppContext.BaseDirectory, "wwwroot"),
    });
    builder.AddPaperBotConfiguration();
    builder.AddPaperBotCore();
    builder.AddStartup();
    builder.AddPushSchedule();
    builder.AddDeliveryWorker();
    builder.AddArxivBackfill();
    builder.AddScheduling();
    builder.AddWeb();
    builder.AddAdmin();
    builder.AddTelemetry();
    builder.AddTelegram();
    builder.AddWeChat();

    var app = builder.Build();
    app.UseServingWarmup();
    app.UseForwardedHeaders();
    app.UseAdminResponseHeaders();
    app.UseClientErrors();
    app.UseStatusPages();
    app.UseStaticFiles();
    app.UseRouting();
    app.UseRateLimiter();
    app.UseAuthentication();
    app.UseAuthorization();

    app.MapWeb();
    app.MapAdmin();
    app.MapTelemetry();
    app.MapTelegram();
    app.MapWeChat();
    await app.RunAsync();
    return 0;
});

public partial class Program;
