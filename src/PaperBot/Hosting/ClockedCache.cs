using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Internal;

namespace PaperBot.Hosting;

/// <summary>
/// A bounded in-memory cache whose entries expire on the host's <see cref="TimeProvider"/>, so a test's fake clock
/// decides what "cached for a minute" means. For answers that are costly to ask each time and harmless to repeat for
/// a short while: a chat's administrators, a session's row.
/// </summary>
public sealed class ClockedCache<TKey, TValue>(TimeProvider clock, TimeSpan lifetime, int capacity) : IDisposable
    where TKey : notnull
{
    private readonly MemoryCache cache = new(new MemoryCacheOptions { Clock = new Clock(clock), SizeLimit = capacity });

    public TimeSpan Lifetime => lifetime;

    public bool TryGet(TKey key, out TValue value)
    {
        if (cache.TryGetValue(key, out var found) && found is TValue typed)
        {
            value = typed;
            return true;
        }

        value = default!;
        return false;
    }

    public void Set(TKey key, TValue value) =>
        cache.Set(key, value, new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = lifetime, Size = 1 });

    public void Remove(TKey key) => cache.Remove(key);

    public void Clear() => cache.Clear();

    public void Dispose() => cache.Dispose();

    private sealed class Clock(TimeProvider clock) : ISystemClock
    {
        public DateTimeOffset UtcNow => clock.GetUtcNow();
    }
}
