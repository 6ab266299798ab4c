namespace PaperBot.WeChat;

/// <summary>An access token and the moment Tencent stops accepting it (issue time + expires_in).</summary>
public sealed record CachedAccessToken(string Value, DateTimeOffset ExpiresAt)
{
    // A record prints every member; the token is a credential and must not reach a log.
    public override string ToString() => $"CachedAccessToken {{ ExpiresAt = {ExpiresAt:O} }}";
}
