using PaperBot.Core.Configuration;

namespace PaperBot.Admin;

/// <summary>The <c>Admin</c> section: the admin page's password and its lock-out. (<c>Admins</c> lists chat admins.)</summary>
public sealed class AdminPageOptions : IValidatedOptions
{
    public const string Section = "Admin";

    /// <summary>Empty = a one-time password is generated at start and printed once in the log.</summary>
    public string Password { get; set; } = "";

    /// <summary>Failed logins from one address before that address is locked out.</summary>
    public int MaxFailuresPerAddress { get; set; } = 5;

    /// <summary>Failed logins from all addresses together before every login is refused (a spread-out guessing attack).</summary>
    public int MaxFailuresOverall { get; set; } = 50;

    /// <summary>How long a lock-out lasts, and the window in which failures are counted.</summary>
    public TimeSpan Lockout { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How long an idle session lasts; a request in its second half renews it (the cookie handler's sliding expiry).</summary>
    public TimeSpan Session { get; set; } = TimeSpan.FromHours(8);

    public IEnumerable<string> Validate()
    {
        if (Password.Length is > 0 and < 8)
            yield return "Admin:Password must be at least 8 characters (or empty for a one-time password in the log)";
        if (MaxFailuresPerAddress < 1)
            yield return "Admin:MaxFailuresPerAddress must be at least 1";
        if (MaxFailuresOverall < MaxFailuresPerAddress)
            yield return "Admin:MaxFailuresOverall must be at least Admin:MaxFailuresPerAddress";
        if (Lockout <= TimeSpan.Zero)
            yield return "Admin:Lockout must be a positive time span, e.g. 00:15:00";
        if (Session <= TimeSpan.Zero)
            yield return "Admin:Session must be a positive time span, e.g. 08:00:00";
    }
}
