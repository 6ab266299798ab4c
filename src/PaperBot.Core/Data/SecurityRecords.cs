namespace PaperBot.Core.Data;

/// <summary>
/// A signed request's (timestamp, nonce), kept while its timestamp is still accepted: the same pair with another body is
/// a replay of a signature someone saw; the same pair with the same body (<see cref="BodyHash"/>) is the platform's retry.
/// </summary>
public sealed class RequestNonce
{
    public required string Channel { get; set; }
    public required string Nonce { get; set; }

    /// <summary>SHA-256 of the request body, lowercase hex.</summary>
    public required string BodyHash { get; set; }

    public DateTimeOffset SeenAt { get; set; }
}

/// <summary>Failed admin logins counted under one key (<c>address:…</c> or <c>account:…</c>), shared by every instance.</summary>
public sealed class LoginFailureTally
{
    public required string Key { get; set; }
    public int Failures { get; set; }
    public DateTimeOffset LastFailureAt { get; set; }
}

/// <summary>
/// One admin page session, named in its cookie. A cookie is only as good as its row: logging out ends the row, and so
/// every copy of that cookie; "sign out everywhere" and a changed password end them all.
/// </summary>
public sealed class AdminSession
{
    public required string Id { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset LastSeenAt { get; set; }
    public DateTimeOffset? EndedAt { get; set; }
}

/// <summary>
/// A salted PBKDF2 fingerprint of the admin password the sessions were opened with, so a start with another password
/// can tell, and end them. Never the password itself.
/// </summary>
public sealed class AdminCredential
{
    public required string Name { get; set; }
    public required string Salt { get; set; }
    public required string Fingerprint { get; set; }
    public DateTimeOffset ChangedAt { get; set; }
}
