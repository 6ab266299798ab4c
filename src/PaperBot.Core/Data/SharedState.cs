namespace PaperBot.Core.Data;

/// <summary>A credential every instance must share, such as the WeChat access token (one valid token per account).</summary>
public sealed class ApiToken
{
    public required string Name { get; set; }
    public string Value { get; set; } = "";
    public DateTimeOffset ExpiresAt { get; set; }
}

/// <summary>A job only one instance may do at a time (Telegram long polling): held by <see cref="Holder"/> until it runs out.</summary>
public sealed class ClusterLease
{
    public required string Name { get; set; }
    public required string Holder { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
}
