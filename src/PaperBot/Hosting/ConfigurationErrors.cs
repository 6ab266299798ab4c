using Microsoft.Extensions.Options;
using PaperBot.Core.Configuration;

namespace PaperBot.Hosting;

/// <summary>A missing or wrong setting stops the program with one line naming the key, not a stack trace.</summary>
public static class ConfigurationErrors
{
    public static async Task<int> RunAsync(Func<Task<int>> run, TextWriter? error = null)
    {
        try
        {
            return await run();
        }
        catch (Exception exception) when (Describe(exception) is { } line)
        {
            await (error ?? Console.Error).WriteLineAsync($"configuration: {line}");
            return 2;
        }
    }

    private static string? Describe(Exception error) => error switch
    {
        OptionsValidationException validation => string.Join("; ", validation.Failures),
        ConfigurationException configuration => configuration.Message,
        // Raised by the first use of the database, the migration at start: the server is down, refuses the login, or the
        // file cannot be opened. Drivers' messages name the host or the file, not the password.
        System.Data.Common.DbException database => $"ConnectionStrings:PaperBot: the database cannot be used: {database.Message}",
        // The binder's own message names the key: "Failed to convert configuration value 'x' at 'Delivery:MessagesPerSecond' …".
        InvalidOperationException { Message: var message } when message.StartsWith("Failed to convert configuration value", StringComparison.Ordinal) => message,
        // The same option can fail through two registrations (Delivery reads Telegram's in a PostConfigure): one line each distinct problem.
        AggregateException aggregate when aggregate.InnerExceptions.Select(Describe).ToList() is var lines && lines.All(l => l is not null) =>
            string.Join("; ", lines.Distinct()),
        _ => null,
    };
}
