using Microsoft.Extensions.Configuration.Json;

namespace PaperBot.Hosting;

public static class ConfigurationFiles
{
    /// <summary>
    /// config/appsettings.json holds every default. It is the lowest layer: appsettings.json in the working
    /// directory, environment variables (Telegram__BotToken) and command-line switches override it.
    /// </summary>
    public static IHostApplicationBuilder AddPaperBotConfiguration(this IHostApplicationBuilder builder)
    {
        var defaults = new JsonConfigurationSource { Path = Path.Combine(AppContext.BaseDirectory, "config", "appsettings.json"), Optional = false };
        defaults.ResolveFileProvider();
        builder.Configuration.Sources.Insert(0, defaults);
        return builder;
    }
}
