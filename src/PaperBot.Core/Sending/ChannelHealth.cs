using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PaperBot.Core.Data;
using PaperBot.Core.Subscribers;

namespace PaperBot.Core.Sending;

/// <summary>A channel's shared state as admins see it: paused by the platform until a moment, or down since a moment for a reason.</summary>
public sealed record ChannelCondition(Channel Channel, DateTimeOffset? PausedUntil, DateTimeOffset? DownSince, string? DownReason, DateTimeOffset? ProbeAt)
{
    public bool IsDown => DownSince is not null;
}

/// <summary>
/// The circuit breaker and the pause of each channel, in its <see cref="ChannelThrottle"/> row, so every instance, the
/// admin page and /stats see the same thing: a channel-wide 429 pauses sending everywhere at once; a channel that is
/// down (a revoked token, the platform unreachable) stops pushes — nobody is failed meanwhile — and one probe goes out
/// every <see cref="DeliveryOptions.ProbeInterval"/> until a send gets through.
/// </summary>
public sealed class ChannelHealth(PaperBotDbContext db, StorageDialect dialect, TimeProvider clock, IOptions<DeliveryOptions> options, ILogger<ChannelHealth> logger)
{
    public async Task PauseAsync(Channel channel, TimeSpan wait, CancellationToken cancellationToken)
    {
        var until = clock.GetUtcNow() + wait;
        await EnsureRowAsync(channel, cancellationToken);
        await db.ChannelThrottles
            .Where(t => t.Channel == channel && (t.PausedUntil == null || t.PausedUntil < until))
            .ExecuteUpdateAsync(t => t.SetProperty(x => x.PausedUntil, until), cancellationToken);
    }

    public async Task MarkDownAsync(Channel channel, string reason, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var probe = now + options.Value.ProbeInterval;
        var shortened = reason.Length > 500 ? reason[..500] : reason;
        await EnsureRowAsync(channel, cancellationToken);
        var tripped = await db.ChannelThrottles
            .Where(t => t.Channel == channel && t.DownSince == null)
            .ExecuteUpdateAsync(t => t.SetProperty(x => x.DownSince, now).SetProperty(x => x.DownReason, shortened).SetProperty(x => x.ProbeAt, probe), cancellationToken);
        if (tripped > 0)
        {
            logger.LogError("delivery: {Channel} is down ({Reason}); pushes wait and nobody is failed; probing every {ProbeInterval}",
                channel, reason, options.Value.ProbeInterval);
        }
        else
        {
            await db.ChannelThrottles.Where(t => t.Channel == channel)
                .ExecuteUpdateAsync(t => t.SetProperty(x => x.DownReason, shortened).SetProperty(x => x.ProbeAt, probe), cancellationToken);
        }
    }

    public async Task MarkUpAsync(Channel channel, CancellationToken cancellationToken)
    {
        var since = await db.ChannelThrottles.Where(t => t.Channel == channel).Select(t => t.DownSince).FirstOrDefaultAsync(cancellationToken);
        if (since is null)
            return;
        await db.ChannelThrottles.Where(t => t.Channel == channel).ExecuteUpdateAsync(t => t
            .SetProperty(x => x.DownSince, (DateTimeOffset?)null)
            .SetProperty(x => x.DownReason, (string?)null)
            .SetProperty(x => x.ProbeAt, (DateTimeOffset?)null), cancellationToken);
        logger.LogInformation("delivery: {Channel} is back after {Downtime}; pushes resume", channel, clock.GetUtcNow() - since.Value);
    }

    /// <summary>At start: a channel marked down is probed at once, so a fixed token takes effect without waiting for the next probe.</summary>
    public Task ProbeNowAsync(Channel channel, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        return db.ChannelThrottles.Where(t => t.Channel == channel && t.DownSince != null)
            .ExecuteUpdateAsync(t => t.SetProperty(x => x.ProbeAt, now), cancellationToken);
    }

    public async Task<IReadOnlyList<ChannelCondition>> ReadAsync(CancellationToken cancellationToken) =>
        await db.ChannelThrottles.AsNoTracking()
            .Select(t => new ChannelCondition(t.Channel, t.PausedUntil, t.DownSince, t.DownReason, t.ProbeAt))
            .ToListAsync(cancellationToken);

    public Task<ChannelCondition?> ReadAsync(Channel channel, CancellationToken cancellationToken) =>
        db.ChannelThrottles.AsNoTracking().Where(t => t.Channel == channel)
            .Select(t => new ChannelCondition(t.Channel, t.PausedUntil, t.DownSince, t.DownReason, t.ProbeAt))
            .FirstOrDefaultAsync(cancellationToken);

    private Task<int> EnsureRowAsync(Channel channel, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlAsync(
            $"""INSERT INTO "ChannelThrottles" ("Channel", "NextSlotAt") VALUES ({channel.ToString()}, {dialect.Time(clock.GetUtcNow())}) ON CONFLICT DO NOTHING""",
            cancellationToken);
}
