using Microsoft.Extensions.Options;

namespace PaperBot.Admin;

/// <summary>The admin page's password: <c>Admin__Password</c>, or a one-time password for this run when it is empty.</summary>
public sealed class AdminPassword
{
    private readonly PasswordHash hash;

    public AdminPassword(IOptions<AdminPageOptions> options, ILogger<AdminPassword> logger)
    {
        var configured = options.Value.Password;
        if (configured.Length > 0)
        {
            hash = PasswordHash.Of(configured);
            OneTime = false;
            return;
        }

        var oneTime = PasswordHash.NewOneTimePassword();
        hash = PasswordHash.Of(oneTime);
        OneTime = true;
        // The only secret PaperBot ever logs, by design: without a configured password the operator needs a way in,
        // and the log of this run is where they look. It is printed once, here, and only its hash is kept.
        logger.LogWarning("admin: no Admin__Password set; one-time password for this run: {OneTimePassword}", oneTime);
    }

    /// <summary>True when the password was generated for this run.</summary>
    public bool OneTime { get; }

    public bool Matches(string? candidate) => candidate is { Length: > 0 and <= 1024 } && hash.Matches(candidate);
}

/// <summary>
/// Makes the password (and its one log line) at start, not at the first visit to the login page, and ends the sessions
/// opened with another password.
/// </summary>
public sealed class AdminPasswordAtStart(AdminPassword password, AdminSessions sessions, IOptions<AdminPageOptions> options) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        GC.KeepAlive(password);
        return sessions.CheckPasswordAsync(options.Value.Password, cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
