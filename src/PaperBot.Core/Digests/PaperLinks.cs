namespace PaperBot.Core.Digests;

/// <summary>The paper's links; each is an absolute http(s) URL or null when the digest gave none.</summary>
public sealed record PaperLinks(string? Paper, string? Code, string? Project)
{
    public static PaperLinks None { get; } = new(null, null, null);
}
