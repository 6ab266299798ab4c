namespace PaperBot.Cli;

/// <summary>One command-line verb: <c>dotnet run --project src/PaperBot -- import FILE</c>.</summary>
/// <param name="ValueOptions">Options that take a value (<c>--text TEXT</c>).</param>
public sealed record Verb(string Name, string Usage, string Summary, Func<VerbContext, Task<int>> RunAsync, params string[] ValueOptions)
{
    /// <summary>Options that take no value (<c>--next</c>). Any option that is neither is refused: a misspelt
    /// <c>--dry-run</c> must not run the verb for real.</summary>
    public IReadOnlyList<string> Flags { get; init; } = [];

    /// <summary>How many plain arguments the verb takes at most; more are refused.</summary>
    public int MaxArguments { get; init; }

    /// <summary>Verbs that only read or write configuration skip the database migration that others get first.</summary>
    public bool NeedsDatabase { get; init; } = true;

    /// <summary>Checks the arguments before the database is opened: the exit code of a refusal (its line written), or null.</summary>
    public Func<VerbContext, int?>? Validate { get; init; }
}

public sealed class VerbContext(Verb verb, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string?> options, IServiceProvider services, TextWriter output, TextWriter error, CancellationToken cancellationToken)
{
    public Verb Verb { get; } = verb;
    public IReadOnlyList<string> Arguments { get; } = arguments;

    public IReadOnlyDictionary<string, string?> Options { get; } = options;
    public IServiceProvider Services { get; } = services;
    public TextWriter Out { get; } = output;
    public CancellationToken CancellationToken { get; } = cancellationToken;

    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();

    public string? Option(string name) => Options.TryGetValue(name, out var value) ? value : null;

    public bool Flag(string name) => Options.ContainsKey(name);

    /// <summary>Bad input: one line on standard error, exit code 1.</summary>
    public int Fail(string reason)
    {
        error.WriteLine($"{Verb.Name}: {reason}");
        return 1;
    }

    /// <summary>Wrong usage: the verb's usage line, exit code 2.</summary>
    public int UsageError(string reason)
    {
        error.WriteLine($"{Verb.Name}: {reason}; usage: {Verb.Usage}");
        return 2;
    }

    public int Done(string line)
    {
        Out.WriteLine(line);
        return 0;
    }
}
