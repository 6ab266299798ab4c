using System.Globalization;

namespace PaperBot.Bench;

/// <summary>A mode's switches: <c>--name value</c> pairs and bare <c>--flag</c>s; a value that does not parse stops the bench naming the switch.</summary>
public sealed class Arguments
{
    private readonly string[] args;

    private Arguments(string[] args) => this.args = args;

    public static Arguments Parse(string[] args) => new(args);

    public bool Flag(string name) => args.Contains(name);

    public string? Value(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();

    public int WholeNumber(string name, int fallback) =>
        Value(name) is { } text ? int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : throw Wrong(name, text) : fallback;

    public double Number(string name, double fallback) =>
        Value(name) is { } text ? double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : throw Wrong(name, text) : fallback;

    private static ArgumentException Wrong(string name, string text) => new($"{name} takes a number, not '{text}'");
}
