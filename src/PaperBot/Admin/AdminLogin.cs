using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using PaperBot.Core.Data;
using PaperBot.Web;

namespace PaperBot.Admin;

public abstract record LoginOutcome
{
    public sealed record LoggedIn : LoginOutcome;

    public sealed record WrongPassword(bool NowLockedOut) : LoginOutcome;

    public sealed record LockedOut(LoginGate Gate, TimeSpan Lockout) : LoginOutcome;
}

/// <summary>Logging in and out of the admin page; each attempt, lock-out and logout goes to the audit log.</summary>
public sealed class AdminLogin(
    AdminPassword password, LoginThrottle throttle, PaperBotDbContext db, TimeProvider clock,
    IOptions<AdminPageOptions> options, ILogger<AdminLogin> logger)
{
    /// <summary>The actor of every admin page action in the audit log.</summary>
    public const string Actor = "web:admin";

    public async Task<LoginOutcome> LogInAsync(HttpContext http, string? candidate, CancellationToken cancellationToken)
    {
        var address = Address(http);
        var gate = throttle.Check(address);
        if (gate != LoginGate.Open)
        {
            logger.LogWarning("admin: login from {Address} refused, locked out ({Gate})", address, gate);
            return new LoginOutcome.LockedOut(gate, options.Value.Lockout);
        }

        if (!password.Matches(candidate))
        {
            var after = throttle.Fail(address);
            db.Audit(clock.GetUtcNow(), Actor, "login-failed", $"from {address}");
            if (after != LoginGate.Open)
                db.Audit(clock.GetUtcNow(), Actor, "lockout", $"{(after == LoginGate.AddressLockedOut ? "address" : "every address")} after failed logins from {address}, for {options.Value.Lockout}");
            await db.SaveChangesAsync(cancellationToken);
            logger.LogWarning("admin: failed login from {Address}{LockedOut}", address, after == LoginGate.Open ? "" : "; now locked out");
            return new LoginOutcome.WrongPassword(after != LoginGate.Open);
        }

        throttle.Succeed(address);
        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, "admin"), new Claim(ClaimTypes.Role, WebAdmin.Role)],
            AdminRegistration.Scheme);
        await http.SignInAsync(AdminRegistration.Scheme, new ClaimsPrincipal(identity), new AuthenticationProperties { IsPersistent = false });
        db.Audit(clock.GetUtcNow(), Actor, "login", $"from {address}");
        await db.SaveChangesAsync(cancellationToken);
        logger.LogInformation("admin: logged in from {Address}", address);
        return new LoginOutcome.LoggedIn();
    }

    public async Task LogOutAsync(HttpContext http, CancellationToken cancellationToken)
    {
        await http.SignOutAsync(AdminRegistration.Scheme);
        var address = Address(http);
        db.Audit(clock.GetUtcNow(), Actor, "logout", $"from {address}");
        await db.SaveChangesAsync(cancellationToken);
        logger.LogInformation("admin: logged out from {Address}", address);
    }

    private static string Address(HttpContext http) => http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
}
