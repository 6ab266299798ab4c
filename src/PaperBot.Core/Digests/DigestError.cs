namespace PaperBot.Core.Digests;

/// <summary>A problem in a digest; <paramref name="Line"/> is 1-based, 0 means the whole input.</summary>
public sealed record DigestError(int Line, string Message)
{
    public override string ToString() => Line == 0 ? Message : $"line {Line}: {Message}";
}
