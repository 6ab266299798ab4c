using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.EntityFrameworkCore;
using PaperBot.Core.Data;
using PaperBot.Hosting;

namespace PaperBot.Admin;

/// <summary>
/// The admin page's sessions, kept in the database (<see cref="AdminSession"/>): each cookie names its row and is
/// accepted only while the row is open. Logging out ends the row, so every copy of that cookie stops working; "sign out
/// everywhere" and a start with another password end them all. Whether a row is open is remembered for
/// <see cref="Remembered"/> per instance, so another instance sees an ended session within that time; this instance
/// forgets at once.
/// </summary>
public sealed class AdminSessions(IServiceScopeFactory scopes, TimeProvider clock, ILogger<AdminSessions> logger) : IDisposable
{
    public const string ClaimType = "paperbot:session";
    public static readonly TimeSpan Remembered = TimeSpan.FromSeconds(5);

    private const string CredentialName = "admin";
    private static readonly TimeSpan SeenEvery = TimeSpan.FromMinutes(1);

    private readonly ClockedCache<string, bool> open = new(clock, Remembered, capacity: 10_000);

    public async Task<string> OpenAsync(CancellationToken cancellationToken)
    {
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var now = clock.GetUtcNow();
        await UseAsync(db =>
        {
            db.AdminSessions.Add(new AdminSession { Id = id, CreatedAt = now, LastSeenAt = now });
            return db.SaveChangesAsync(cancellationToken);
        });
        open.Set(id, true);
        return id;
    }

    /// <summary>For the cookie handler: a cookie without an open session is turned away and removed.</summary>
    public async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        if (context.Principal?.FindFirst(ClaimType)?.Value is { Length: > 0 } id && await IsOpenAsync(id, context.HttpContext.RequestAborted))
            return;
        context.RejectPrincipal();
        await context.HttpContext.SignOutAsync(AdminRegistration.Scheme);
    }

    public async Task<bool> IsOpenAsync(string id, CancellationToken cancellationToken)
    {
        if (open.TryGet(id, out var known))
            return known;
        var now = clock.GetUtcNow();
        var isOpen = await UseAsync(async db =>
        {
            var row = await db.AdminSessions.AsNoTracking().Where(s => s.Id == id).Select(s => new { s.EndedAt, s.LastSeenAt }).FirstOrDefaultAsync(cancellationToken);
            if (row is not { EndedAt: null })
                return false;
            if (row.LastSeenAt < now - SeenEvery)
                await db.AdminSessions.Where(s => s.Id == id).ExecuteUpdateAsync(s => s.SetProperty(x => x.LastSeenAt, now), cancellationToken);
            return true;
        });
        open.Set(id, isOpen);
        return isOpen;
    }

    public async Task EndAsync(string id, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await UseAsync(db => db.AdminSessions.Where(s => s.Id == id && s.EndedAt == null).ExecuteUpdateAsync(s => s.SetProperty(x => x.EndedAt, now), cancellationToken));
        open.Set(id, false);
    }

    /// <returns>How many sessions were open.</returns>
    public async Task<int> EndAllAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var ended = await UseAsync(db => db.AdminSessions.Where(s => s.EndedAt == null).ExecuteUpdateAsync(s => s.SetProperty(x => x.EndedAt, now), cancellationToken));
        open.Clear();
        return ended;
    }

    /// <summary>
    /// At start: a password other than the one the open sessions were made with ends them all. A one-time password is new
    /// at every start, so its sessions end with the run. Only a salted PBKDF2 fingerprint of the password is stored.
    /// </summary>
    public async Task CheckPasswordAsync(string configuredPassword, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await UseAsync(async db =>
        {
            var stored = await db.AdminCredentials.FirstOrDefaultAsync(c => c.Name == CredentialName, cancellationToken);
            var same = stored is not null && configuredPassword.Length > 0
                && CryptographicOperations.FixedTimeEquals(
                    Convert.FromHexString(stored.Fingerprint), Convert.FromHexString(PasswordHash.Fingerprint(configuredPassword, Convert.FromHexString(stored.Salt))));
            if (same)
                return 0;

            var ended = await db.AdminSessions.Where(s => s.EndedAt == null).ExecuteUpdateAsync(s => s.SetProperty(x => x.EndedAt, now), cancellationToken);
            if (stored is not null)
                db.AdminCredentials.Remove(stored);
            if (configuredPassword.Length > 0)
            {
                var salt = PasswordHash.NewSalt();
                db.AdminCredentials.Add(new AdminCredential { Name = CredentialName, Salt = Convert.ToHexStringLower(salt), Fingerprint = PasswordHash.Fingerprint(configuredPassword, salt), ChangedAt = now });
            }

            if (ended > 0)
            {
                db.Audit(now, AdminLogin.Actor, "sessions-ended", configuredPassword.Length > 0 ? $"{ended} sessions: the password changed" : $"{ended} sessions: a one-time password is new at every start");
                logger.LogInformation("admin: ended {Sessions} sessions opened with another password", ended);
            }

            return await db.SaveChangesAsync(cancellationToken);
        });
        open.Clear();
    }

    public void Dispose() => open.Dispose();

    private async Task<T> UseAsync<T>(Func<PaperBotDbContext, Task<T>> work)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<PaperBotDbContext>());
    }
}
