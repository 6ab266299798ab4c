using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using PaperBot.Channels.WeChat;
using PaperBot.Core;
using PaperBot.Core.Data;
using PaperBot.Core.Sending;
using PaperBot.Hosting;
using PaperBot.Scheduling;

namespace PaperBot.Cli;

/// <summary>
/// The admin verbs of the same program, miniflux-style: they use the host's registrations and database,
/// print plain lines, and exit non-zero with a one-line reason on bad input.
/// </summary>
public static class CommandLine
{
    public static readonly IReadOnlyList<Verb> Verbs =
    [
        ImportVerb.Definition,
        IssuesVerb.Definition,
        ArticleVerb.Definition,
        TopicsVerb.Definition,
        PublishVerb.Definition,
        ResendVerb.Definition,
        BroadcastVerb.Definition,
        SubscribersVerb.Definition,
        StatsVerb.Definition,
        MigrateVerb.Definition,
        ConfigVerb.Definition,
    ];

    public static bool IsVerb(string[] args) =>
        args.Length > 0 && (args[0] is "help" or "--help" or "-h" || Verbs.Any(v => v.Name == args[0]));

    public static async Task<int> RunAsync(string[] args, TextWriter? output = null, TextWriter? error = null, Action<IHostApplicationBuilder>? configure = null)
    {
        output ??= Console.Out;
        error ??= Console.Error;
        if (args[0] is "help" or "--help" or "-h")
        {
            await WriteHelpAsync(output);
            return 0;
        }

        var verb = Verbs.First(v => v.Name == args[0]);
        if (args.Skip(1).Any(a => a is "--help" or "-h"))
        {
            await output.WriteLineAsync($"usage: {verb.Usage}\n{verb.Summary}");
            return 0;
        }

        if (!TryParse(verb, args[1..], out var arguments, out var options, out var problem))
        {
            await error.WriteLineAsync($"{verb.Name}: {problem}; usage: {verb.Usage}");
            return 2;
        }

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], ApplicationName = "PaperBot" });
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace);
        // A verb prints its own lines; the host's start-up and information lines are noise here, whatever the
        // Logging section of the configuration says (its rules would otherwise win over a minimum level).
        builder.Services.PostConfigure<LoggerFilterOptions>(filter =>
        {
            filter.Rules.Clear();
            filter.MinLevel = LogLevel.Warning;
        });
        builder.AddPaperBotConfiguration();
        configure?.Invoke(builder);
        builder.AddPaperBotCore();
        // The verb runs beside the bot, perhaps with the same Delivery__InstanceId: the leases it takes are its own.
        builder.Services.Replace(ServiceDescriptor.Singleton(services => InstanceIdentity.ForCommandLine(services.GetRequiredService<IOptions<DeliveryOptions>>())));
        builder.AddPushSchedule();
        builder.AddWeChatArticles();

        using var host = builder.Build();
        using var cancellation = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancellation.Cancel();
        };

        // Starting the host validates every setting, as the bot does; a CLI verb registers no background work.
        await host.StartAsync(cancellation.Token);
        try
        {
            await using var scope = host.Services.CreateAsyncScope();
            var context = new VerbContext(verb, arguments, options, scope.ServiceProvider, output, error, cancellation.Token);
            // Arguments first: a verb with bad input touches no database (and creates no database file).
            if (verb.Validate?.Invoke(context) is { } refused)
                return refused;
            if (verb.NeedsDatabase)
                await scope.ServiceProvider.GetRequiredService<DatabaseMigrator>().MigrateAsync(cancellation.Token);
            return await verb.RunAsync(context);
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }
    }

    private static async Task WriteHelpAsync(TextWriter output)
    {
        await output.WriteLineAsync("PaperBot: run with no verb to start the bot and the web site; or one of:");
        foreach (var verb in Verbs)
            await output.WriteLineAsync($"  {verb.Usage,-46} {verb.Summary}");
        await output.WriteLineAsync("Each verb takes --help. Settings come from config/appsettings.json and environment variables (Storage__Provider, ConnectionStrings__PaperBot, …).");
    }

    private static bool TryParse(Verb verb, string[] args, out List<string> arguments, out Dictionary<string, string?> options, out string problem)
    {
        arguments = [];
        options = [];
        problem = "";
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--")
            {
                arguments.AddRange(args[(i + 1)..]);
                break;
            }

            if (!args[i].StartsWith("--", StringComparison.Ordinal))
            {
                arguments.Add(args[i]);
                continue;
            }

            var name = args[i][2..];
            string? value = null;
            if (name.IndexOf('=', StringComparison.Ordinal) is var equals and >= 0)
                (name, value) = (name[..equals], name[(equals + 1)..]);
            if (verb.Flags.Contains(name))
            {
                if (value is not null)
                {
                    problem = $"--{name} takes no value";
                    return false;
                }
            }
            else if (!verb.ValueOptions.Contains(name))
            {
                problem = $"unknown option --{name}";
                return false;
            }
            else if (value is null)
            {
                if (i + 1 >= args.Length)
                {
                    problem = $"--{name} needs a value";
                    return false;
                }

                value = args[++i];
            }

            if (!options.TryAdd(name, value))
            {
                problem = $"--{name} is given twice";
                return false;
            }
        }

        if (arguments.Count > verb.MaxArguments)
        {
            problem = $"unexpected argument '{arguments[verb.MaxArguments]}'";
            return false;
        }

        return true;
    }
}
