using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PaperBot.Core.Data;
using PaperBot.WeChat;

namespace PaperBot.Channels.WeChat;

/// <summary>
/// The access token in the database: every instance reads the same one, a restart does not spend one of the
/// account's daily token requests, and a refresh holds the token's row so the cluster refreshes once.
/// </summary>
public sealed class DatabaseAccessTokenStore(IServiceScopeFactory scopes, StorageDialect dialect, IOptions<WeChatOptions> options) : IWeChatAccessTokenStore
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
            return await RefreshAloneAsync(refresh, cancellationToken);
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
    /// One process owns a SQLite file and the client refreshes one at a time, so nothing needs the row held; holding
    /// SQLite's only write lock through the HTTP request would stall every reply and delivery result until WeChat answers.
    /// </summary>
    private async Task<CachedAccessToken> RefreshAloneAsync(Func<CachedAccessToken?, Task<CachedAccessToken>> refresh, CancellationToken cancellationToken)
    {
        var token = await refresh(await GetAsync(cancellationToken));
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PaperBotDbContext>();
        var name = Name;
        var row = await db.ApiTokens.FirstOrDefaultAsync(t => t.Name == name, cancellationToken);
        if (row is null)
            db.ApiTokens.Add(row = new ApiToken { Name = name });
        row.Value = token.Value;
        row.ExpiresAt = token.ExpiresAt.ToUniversalTime();
        await db.SaveChangesAsync(cancellationToken);
        return token;
    }
}
