using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace PaperBot.Core.Configuration;

/// <summary>An options class that checks itself; each problem is one line naming the configuration key.</summary>
public interface IValidatedOptions
{
    IEnumerable<string> Validate();
}

public static class ValidatedOptionsExtensions
{
    /// <summary>Binds <typeparamref name="T"/> to <paramref name="section"/> and stops the host at start-up when it is invalid.</summary>
    public static OptionsBuilder<T> AddValidatedOptions<T>(this IServiceCollection services, string section)
        where T : class, IValidatedOptions
    {
        // Idempotent: binding a section twice appends every list item twice (the command line and the host both ask).
        if (services.Any(d => d.ServiceType == typeof(IValidateOptions<T>) && d.ImplementationType == typeof(SelfValidation<T>)))
            return services.AddOptions<T>();
        services.AddSingleton<IValidateOptions<T>, SelfValidation<T>>();
        return services.AddOptions<T>().BindConfiguration(section).ValidateOnStart();
    }

    private sealed class SelfValidation<T> : IValidateOptions<T>
        where T : class, IValidatedOptions
    {
        public ValidateOptionsResult Validate(string? name, T options)
        {
            var problems = options.Validate().ToList();
            return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
        }
    }
}

/// <summary>A setting that stops the program; the message is one line naming the key.</summary>
public sealed class ConfigurationException(string message) : Exception(message);
