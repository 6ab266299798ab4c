namespace PaperBot.Hosting;

public static class StartupRegistration
{
    /// <summary>Start-up work that must finish before anything is served; registered first so it runs first.</summary>
    public static IHostApplicationBuilder AddStartup(this IHostApplicationBuilder builder)
    {
        builder.Services.AddHostedService<DatabaseInitializer>();
        builder.Services.AddHostedService<AnswerPathWarmup>();
        return builder;
    }
}
