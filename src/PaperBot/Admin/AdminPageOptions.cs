using PaperBot.Core.Configuration;

namespace PaperBot.Admin;

/// <summary>The <c>Admin</c> section: the admin page's password, its login throttle and sessions. (<c>Admins</c> lists chat admins.)</summary>
public sealed class AdminPageOptions : IValidatedOptions
{
    public const string Section = "Admin";

    /// <summary>Empty = a one-time password is generated at start and printed once in the log.</summary>
    public string Password { get; set; } = "";

    /// <summary>Wrong passwords from one address answered at once; from this many on, each makes that address wait before its next try (1 s, doubling).</summary>
    public int MaxFailuresPerAddress { get; set; } = 5;

    /// <summary>Wrong passwords from all addresses together after which every login waits before its answer (1 s, doubling, at most 10 s): slower guessing, never a lock-out.</summary>
    public int MaxFailuresOverall { get; set; } = 50;

    /// <summary>The longest an address is made to wait; failures are forgotten twice this long after the last one.</summary>
    public TimeSpan MaxLoginWait { get; set; } = TimeSpan.FromMinutes(15);

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
        if (MaxLoginWait < TimeSpan.FromSeconds(1))
            yield return "Admin:MaxLoginWait must be at least 00:00:01, e.g. 00:15:00";
        if (Session <= TimeSpan.Zero)
            yield return "Admin:Session must be a positive time span, e.g. 08:00:00";
    }
}
