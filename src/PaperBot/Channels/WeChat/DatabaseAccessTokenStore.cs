using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PaperBot.Core.Data;
using PaperBot.WeChat;

namespace PaperBot.Channels.WeChat;

/// <summary>
/// The access token in the database: every instance reads the same one, a restart does not spend one of the
/// account's daily token requests, and one refresh at a time is made for every process using the database: on
/// PostgreSQL under the token's row lock, on SQLite (the bot and the command-line verbs beside it) under a lease.
/// </summary>
public sealed class DatabaseAccessTokenStore(
    IServiceScopeFactory scopes, StorageDialect dialect, InstanceIdentity instance, TimeProvider clock, IOptions<WeChatOptions> options) : IWeChatAccessTokenStore
{
    private string Name => $"wechat-access-token:{options.Value.AppId}";

    public async Task<CachedAccessToken?> GetAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PaperBotDbContext>();
        var name = Name;
        var stored = await db.ApiTokens.AsNoTracking().FirstOrDefaultAsync(t => t.Name == name, cancellationToken);
        return stored is { Value.Length: > 0 } ? new CachedAccessToken(stored.Value, stored.ExpiresAt) : null;
    }

    public async Task<CachedAccessToken> RefreshAsync(Func<CachedAccessToken?, Task<CachedAccessToken>> refresh, CancellationToken cancellationToken)
    {
        if (!dialect.ServesSeveralInstances)
            return await RefreshOnSharedFileAsync(refresh, cancellationToken);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PaperBotDbContext>();
        var name = Name;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var expired = DateTimeOffset.UnixEpoch;
        await db.Database.ExecuteSqlAsync(
            $"""INSERT INTO "ApiTokens" ("Name", "Value", "ExpiresAt") VALUES ({name}, '', {dialect.Time(expired)}) ON CONFLICT DO NOTHING""",
            cancellationToken);
        // Hold the row until the new token is stored: another instance's refresh waits here, then finds it fresh.
#pragma warning disable EF1002 // the lock clause is one of the dialect's constants; the name is a parameter
        var row = await db.ApiTokens.FromSqlRaw($$"""SELECT * FROM "ApiTokens" WHERE "Name" = {0} {{dialect.LockRow}}""", name).SingleAsync(cancellationToken);
#pragma warning restore EF1002

        var token = await refresh(row.Value.Length > 0 ? new CachedAccessToken(row.Value, row.ExpiresAt) : null);
        row.Value = token.Value;
        row.ExpiresAt = token.ExpiresAt.ToUniversalTime();
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return token;
    }

    /// <summary>
    /// How long a process on SQLite holds the refresh without renewing it: the holder renews it every
    /// <see cref="RefreshRenewal"/> for as long as the token request takes (the client's 20 s, or longer while the
    /// database is slow), so only a holder that died (SIGKILL, a crash) lets it run out, and the others get a token
    /// within seconds instead of waiting for a lease as long as the slowest request.
    /// </summary>
    public static readonly TimeSpan RefreshLease = TimeSpan.FromSeconds(6);

    private static readonly TimeSpan RefreshRenewal = TimeSpan.FromSeconds(2);

    private static readonly TimeSpan RefreshPoll = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// On SQLite the bot shares the file only with command-line verbs beside it, which need a token too. The refresh is
    /// held by a lease of the token's name, a short write of its own: holding SQLite's only write lock through the HTTP
    /// request would stall every reply and delivery result until WeChat answers. A process that finds the lease held
    /// waits for it and then finds the token its holder stored (<paramref name="refresh"/> keeps a fresh one).
    /// </summary>
    private async Task<CachedAccessToken> RefreshOnSharedFileAsync(Func<CachedAccessToken?, Task<CachedAccessToken>> refresh, CancellationToken cancellationToken)
    {
        var name = Name;
        while (true)
        {
            await using (var scope = scopes.CreateAsyncScope())
            {
                var leases = scope.ServiceProvider.GetRequiredService<ClusterLeases>();
                if (await leases.TryAcquireAsync(name, instance.Name, RefreshLease, cancellationToken))
                {
                    using var refreshed = new CancellationTokenSource();
                    var renewal = RenewAsync(name, refreshed.Token);
                    try
                    {
                        var token = await refresh(await GetAsync(cancellationToken));
                        var db = scope.ServiceProvider.GetRequiredService<PaperBotDbContext>();
                        var expires = token.ExpiresAt.ToUniversalTime();
                        await db.Database.ExecuteSqlAsync(
                            $"""INSERT INTO "ApiTokens" ("Name", "Value", "ExpiresAt") VALUES ({name}, {token.Value}, {dialect.Time(expires)}) ON CONFLICT ("Name") DO UPDATE SET "Value" = excluded."Value", "ExpiresAt" = excluded."ExpiresAt" """,
                            cancellationToken);
                        return token;
                    }
                    finally
                    {
                        await refreshed.CancelAsync();
                        await renewal;
                        await leases.ReleaseAsync(name, instance.Name, CancellationToken.None);
                    }
                }
            }

            await Task.Delay(RefreshPoll, cancellationToken);
        }
    }

    /// <summary>Keeps the refresh's lease until <paramref name="refreshed"/>; a renewal the database refuses is tried again at the next.</summary>
    private async Task RenewAsync(string name, CancellationToken refreshed)
    {
        while (!refreshed.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(RefreshRenewal, clock, refreshed);
                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<ClusterLeases>().TryAcquireAsync(name, instance.Name, RefreshLease, refreshed);
            }
            catch (OperationCanceledException) when (refreshed.IsCancellationRequested)
            {
                return;
            }
            catch (Exception error) when (error is DbException or DbUpdateException or InvalidOperationException)
            {
                // The file busy or away: the next renewal may get through before the lease runs out.
            }
        }
    }
}
