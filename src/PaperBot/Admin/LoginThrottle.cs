using Microsoft.Extensions.Options;

namespace PaperBot.Admin;

public enum LoginGate
{
    Open,
    AddressLockedOut,
    EveryoneLockedOut,
}

/// <summary>
/// Counts failed logins per address and overall within <see cref="AdminPageOptions.Lockout"/>; past the limits, logins
/// are refused until the window has passed. Kept in memory: each instance counts its own, and a restart forgets.
/// </summary>
public sealed class LoginThrottle(IOptions<AdminPageOptions> options, TimeProvider clock)
{
    private readonly object gate = new();
    private readonly Dictionary<string, List<DateTimeOffset>> failuresByAddress = new(StringComparer.Ordinal);
    private readonly List<DateTimeOffset> failures = [];
    private readonly Dictionary<string, DateTimeOffset> lockedAddresses = new(StringComparer.Ordinal);
    private DateTimeOffset? everyoneLockedUntil;

    public LoginGate Check(string address)
    {
        var now = clock.GetUtcNow();
        lock (gate)
        {
            if (everyoneLockedUntil is { } until && until > now)
                return LoginGate.EveryoneLockedOut;
            if (lockedAddresses.TryGetValue(address, out var addressUntil) && addressUntil > now)
                return LoginGate.AddressLockedOut;
            return LoginGate.Open;
        }
    }

    /// <summary>Records a failure; returns the gate after it (a lock-out starts with the failure that reaches the limit).</summary>
    public LoginGate Fail(string address)
    {
        var settings = options.Value;
        var now = clock.GetUtcNow();
        var since = now - settings.Lockout;
        lock (gate)
        {
            if (!failuresByAddress.TryGetValue(address, out var mine))
                failuresByAddress[address] = mine = [];
            mine.RemoveAll(at => at <= since);
            mine.Add(now);
            failures.RemoveAll(at => at <= since);
            failures.Add(now);

            if (failures.Count >= settings.MaxFailuresOverall)
            {
                everyoneLockedUntil = now + settings.Lockout;
                failures.Clear();
                return LoginGate.EveryoneLockedOut;
            }

            if (mine.Count >= settings.MaxFailuresPerAddress)
            {
                lockedAddresses[address] = now + settings.Lockout;
                failuresByAddress.Remove(address);
                return LoginGate.AddressLockedOut;
            }

            // Forget addresses whose failures have aged out, so the table cannot grow without bound.
            foreach (var stale in failuresByAddress.Where(f => f.Value.TrueForAll(at => at <= since)).Select(f => f.Key).ToList())
                failuresByAddress.Remove(stale);
            foreach (var expired in lockedAddresses.Where(l => l.Value <= now).Select(l => l.Key).ToList())
                lockedAddresses.Remove(expired);
            return LoginGate.Open;
        }
    }

    public void Succeed(string address)
    {
        lock (gate)
            failuresByAddress.Remove(address);
    }
}
