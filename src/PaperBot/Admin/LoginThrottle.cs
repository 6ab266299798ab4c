using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PaperBot.Core.Data;
using PaperBot.Web;

namespace PaperBot.Admin;

/// <summary>Where a login attempt stands: how long its address must still wait, and how long every attempt is slowed.</summary>
public sealed record LoginGate(TimeSpan AddressWait, TimeSpan AccountDelay)
{
    public bool Open => AddressWait <= TimeSpan.Zero;
}

/// <summary>
/// Wrong passwords counted per client address and for the account, in the database so every instance counts the same.
/// An address that keeps guessing waits longer after each failure (1 s, 2 s, 4 s … up to Admin:MaxLoginWait) and is
/// refused until then; that wait is its own, so guessing from one address never keeps the real admin out from another.
/// Failures from everywhere together slow every attempt before its answer (1 s, doubling, at most <see cref="MaxAccountDelay"/>),
/// which makes spread-out guessing slow while the admin still gets in. A tally is forgotten twice Admin:MaxLoginWait
/// after its last failure; a login from an address clears that address's tally.
/// </summary>
public sealed class LoginThrottle(PaperBotDbContext db, IOptions<AdminPageOptions> options, StorageDialect dialect, TimeProvider clock)
{
    public static readonly TimeSpan FirstWait = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan MaxAccountDelay = TimeSpan.FromSeconds(10);

    private const string AccountKey = "account:admin";

    public async Task<LoginGate> CheckAsync(string address, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var now = clock.GetUtcNow();
        var remembered = now - Memory(settings);
        var addressKey = AddressKey(address);
        var tallies = await db.LoginFailures.AsNoTracking()
            .Where(t => (t.Key == addressKey || t.Key == AccountKey) && t.LastFailureAt >= remembered)
            .ToListAsync(cancellationToken);
        var mine = tallies.FirstOrDefault(t => t.Key == addressKey);
        var all = tallies.FirstOrDefault(t => t.Key == AccountKey);
        var addressWait = mine is null ? TimeSpan.Zero : mine.LastFailureAt + Wait(mine.Failures, settings.MaxFailuresPerAddress, settings.MaxLoginWait) - now;
        var accountDelay = all is null ? TimeSpan.Zero : Wait(all.Failures, settings.MaxFailuresOverall, MaxAccountDelay);
        return new LoginGate(addressWait > TimeSpan.Zero ? addressWait : TimeSpan.Zero, accountDelay);
    }

    /// <summary>Counts a wrong password for the address and the account; returns how long the address must now wait.</summary>
    public async Task<TimeSpan> FailAsync(string address, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var forgotten = now - Memory(options.Value);
        await db.LoginFailures.Where(t => t.LastFailureAt < forgotten).ExecuteDeleteAsync(cancellationToken);
        foreach (var key in new[] { AddressKey(address), AccountKey })
        {
            await db.Database.ExecuteSqlAsync(
                $"""
                INSERT INTO "LoginFailures" ("Key", "Failures", "LastFailureAt") VALUES ({key}, 1, {dialect.Time(now)})
                ON CONFLICT ("Key") DO UPDATE SET "Failures" = "LoginFailures"."Failures" + 1, "LastFailureAt" = {dialect.Time(now)}
                """,
                cancellationToken);
        }

        return (await CheckAsync(address, cancellationToken)).AddressWait;
    }

    public Task SucceedAsync(string address, CancellationToken cancellationToken)
    {
        var key = AddressKey(address);
        return db.LoginFailures.Where(t => t.Key == key).ExecuteDeleteAsync(cancellationToken);
    }

    /// <summary>Nothing below <paramref name="free"/> failures; then <see cref="FirstWait"/>, doubling with each failure, up to <paramref name="cap"/>.</summary>
    public static TimeSpan Wait(int failures, int free, TimeSpan cap)
    {
        var over = failures - free;
        if (over < 0)
            return TimeSpan.Zero;
        var wait = FirstWait * Math.Pow(2, Math.Min(over, 40));
        return wait < cap ? wait : cap;
    }

    private static TimeSpan Memory(AdminPageOptions settings) => 2 * settings.MaxLoginWait;

    private static string AddressKey(string address) =>
        $"address:{(IPAddress.TryParse(address, out var ip) ? ClientNetwork.Of(ip) : address.Length <= 100 ? address : address[..100])}";
}
