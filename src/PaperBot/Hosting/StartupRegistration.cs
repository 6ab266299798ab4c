namespace PaperBot.Hosting;

public static class StartupRegistration
{
    /// <summary>Start-up work that must finish before anything is served; registered first so it runs first.</summary>
    public static IHostApplicationBuilder AddStartup(this IHostApplicationBuilder builder)
    {
        builder.Services.AddHostedService<DatabaseInitializer>();
        builder.Services.AddSingleton<ServingWarmup>();
        builder.Services.AddHostedService(services => services.GetRequiredService<ServingWarmup>());
        return builder;
    }

    /// <summary>First in the pipeline: lets the warm-up send its requests through everything after it.</summary>
    public static IApplicationBuilder UseServingWarmup(this IApplicationBuilder app)
    {
        app.ApplicationServices.GetRequiredService<ServingWarmup>().Capture(app);
        return app;
    }
}
