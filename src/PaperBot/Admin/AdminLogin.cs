using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication;
using PaperBot.Core.Data;
using PaperBot.Web;

namespace PaperBot.Admin;

public abstract record LoginOutcome
{
    public sealed record LoggedIn : LoginOutcome;

    /// <param name="Wait">How long this address must wait before its next try; zero = at once.</param>
    public sealed record WrongPassword(TimeSpan Wait) : LoginOutcome;

    /// <summary>Refused without looking at the password: this address must wait <paramref name="Wait"/> more.</summary>
    public sealed record TryLater(TimeSpan Wait) : LoginOutcome;

    /// <summary>Refused without looking at the password: <see cref="LoginTurns.Length"/> logins are already waiting for their turn.</summary>
    public sealed record Busy(TimeSpan Wait) : LoginOutcome;
}

/// <summary>
/// Logging in and out of the admin page; each attempt, wait and logout goes to the audit log. The client's address is
/// the connection's, or the one a trusted proxy forwarded (Web:TrustedProxies).
/// </summary>
public sealed class AdminLogin(
    AdminPassword password, LoginThrottle throttle, LoginTurns turns, AdminSessions sessions, PaperBotDbContext db, TimeProvider clock, ILogger<AdminLogin> logger)
{
    /// <summary>The actor of every admin page action in the audit log.</summary>
    public const string Actor = "web:admin";

    public async Task<LoginOutcome> LogInAsync(HttpContext http, string? candidate, CancellationToken cancellationToken)
    {
        var address = Address(http);
        var gate = await throttle.CheckAsync(address, cancellationToken);
        if (!gate.Open)
        {
            logger.LogWarning("admin: login from {Address} refused; it must wait {Wait} after failed logins", address, gate.AddressWait);
            return new LoginOutcome.TryLater(gate.AddressWait);
        }

        // Failures from everywhere slow every attempt, before the password is looked at, so the delay tells nothing.
        if (gate.AccountDelay > TimeSpan.Zero)
        {
            logger.LogWarning("admin: login from {Address} waits {Delay} after failed logins from many addresses", address, gate.AccountDelay);
            await Task.Delay(gate.AccountDelay, clock, cancellationToken);
        }

        using var turn = await turns.EnterAsync(cancellationToken);
        if (!turn.IsAcquired)
        {
            logger.LogWarning("admin: login from {Address} refused; {Queued} logins are already waiting for their turn", address, LoginTurns.Length);
            return new LoginOutcome.Busy(LoginThrottle.FirstWait);
        }

        // Checked again in turn: the attempts let in together with this one may have closed the gate meanwhile.
        gate = await throttle.CheckAsync(address, cancellationToken);
        if (!gate.Open)
        {
            logger.LogWarning("admin: login from {Address} refused; it must wait {Wait} after failed logins", address, gate.AddressWait);
            return new LoginOutcome.TryLater(gate.AddressWait);
        }

        if (!password.Matches(candidate))
        {
            var wait = await throttle.FailAsync(address, cancellationToken);
            db.Audit(clock.GetUtcNow(), Actor, AuditLog.LoginFailed, wait > TimeSpan.Zero ? $"from {address}; it waits {wait} before the next try" : $"from {address}");
            await db.SaveChangesAsync(cancellationToken);
            logger.LogWarning("admin: failed login from {Address}{Wait}", address, wait > TimeSpan.Zero ? $"; it waits {wait} before the next try" : "");
            return new LoginOutcome.WrongPassword(wait);
        }

        await throttle.SucceedAsync(address, cancellationToken);
        var session = await sessions.OpenAsync(cancellationToken);
        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, "admin"), new Claim(ClaimTypes.Role, WebAdmin.Role), new Claim(AdminSessions.ClaimType, session)],
            AdminRegistration.Scheme);
        await http.SignInAsync(AdminRegistration.Scheme, new ClaimsPrincipal(identity), new AuthenticationProperties { IsPersistent = false });
        db.Audit(clock.GetUtcNow(), Actor, "login", $"from {address}");
        await db.SaveChangesAsync(cancellationToken);
        logger.LogInformation("admin: logged in from {Address}", address);
        return new LoginOutcome.LoggedIn();
    }

    /// <summary>Ends this session: its cookie, and every copy of it, stops working.</summary>
    public async Task LogOutAsync(HttpContext http, CancellationToken cancellationToken)
    {
        if (http.User.FindFirst(AdminSessions.ClaimType)?.Value is { } session)
            await sessions.EndAsync(session, cancellationToken);
        await http.SignOutAsync(AdminRegistration.Scheme);
        var address = Address(http);
        db.Audit(clock.GetUtcNow(), Actor, "logout", $"from {address}");
        await db.SaveChangesAsync(cancellationToken);
        logger.LogInformation("admin: logged out from {Address}", address);
    }

    /// <summary>Ends every admin session, on every browser and instance (this one at once, the others within <see cref="AdminSessions.Remembered"/>).</summary>
    public async Task SignOutEverywhereAsync(HttpContext http, CancellationToken cancellationToken)
    {
        var ended = await sessions.EndAllAsync(cancellationToken);
        await http.SignOutAsync(AdminRegistration.Scheme);
        var address = Address(http);
        db.Audit(clock.GetUtcNow(), Actor, "sessions-ended", $"{ended} sessions, signed out everywhere from {address}");
        await db.SaveChangesAsync(cancellationToken);
        logger.LogInformation("admin: signed out everywhere from {Address}: {Sessions} sessions ended", address, ended);
    }

    private static string Address(HttpContext http) => http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
}

/// <summary>
/// Passwords are checked one at a time on an instance, with a short queue: a burst of guesses sent together cannot all
/// pass their address's gate before the first failure is counted, nor run a hundred password hashes at once.
/// </summary>
public sealed class LoginTurns : IDisposable
{
    public const int Length = 16;

    private readonly ConcurrencyLimiter limiter = new(new ConcurrencyLimiterOptions
    {
        PermitLimit = 1,
        QueueLimit = Length,
        QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
    });

    public ValueTask<RateLimitLease> EnterAsync(CancellationToken cancellationToken) => limiter.AcquireAsync(1, cancellationToken);

    public void Dispose() => limiter.Dispose();
}
