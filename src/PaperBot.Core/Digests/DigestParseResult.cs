namespace PaperBot.Core.Digests;

/// <summary>Either a digest (and no errors) or the errors, in line order.</summary>
public sealed record DigestParseResult(Digest? Digest, IReadOnlyList<DigestError> Errors)
{
    public bool Succeeded => Digest is not null;
}
