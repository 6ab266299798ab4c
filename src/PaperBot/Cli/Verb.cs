namespace PaperBot.Cli;

/// <summary>One command-line verb: <c>dotnet run --project src/PaperBot -- import FILE</c>.</summary>
/// <param name="ValueOptions">Options that take a value (<c>--text TEXT</c>); any other <c>--name</c> is a flag.</param>
public sealed record Verb(string Name, string Usage, string Summary, Func<VerbContext, Task<int>> RunAsync, params string[] ValueOptions)
{
    /// <summary>Verbs that only read or write configuration skip the database migration that others get first.</summary>
    public bool NeedsDatabase { get; init; } = true;

    /// <summary>Checks the arguments before anything starts (settings, database): a problem, or null when they are fine.</summary>
    public Func<IReadOnlyList<string>, IReadOnlyDictionary<string, string?>, string?>? Check { get; init; }
}

public sealed class VerbContext(Verb verb, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string?> options, IServiceProvider services, TextWriter output, TextWriter error, CancellationToken cancellationToken)
{
    public Verb Verb { get; } = verb;
    public IReadOnlyList<string> Arguments { get; } = arguments;
    public IServiceProvider Services { get; } = services;
    public TextWriter Out { get; } = output;
    public CancellationToken CancellationToken { get; } = cancellationToken;

    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();

    public string? Option(string name) => options.TryGetValue(name, out var value) ? value : null;

    public bool Flag(string name) => options.ContainsKey(name);

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
