using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PaperBot.Core.Data;

namespace PaperBot.Channels.WeChat;

/// <summary>
/// A signature's timestamp and nonce are good for one body. WeChat's URL signature covers the Token, the timestamp and
/// the nonce but not the body, so whoever saw a signed URL (a proxy's log) could post any message under it while the
/// timestamp is fresh. The first body seen with a (timestamp, nonce) is remembered by its SHA-256 in the database, shared
/// by every instance; the same body again is WeChat's own retry, another body is refused. Entries older than twice
/// <see cref="WeChatOptions.MaxTimestampSkew"/> are pruned: by then their timestamp is refused anyway.
/// </summary>
public sealed class WeChatNonces(PaperBotDbContext db, StorageDialect dialect, IOptions<WeChatOptions> options, TimeProvider clock)
{
    /// <returns>False when this timestamp and nonce already came with another body.</returns>
    public async Task<bool> TryUseAsync(string timestamp, string nonce, string body, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var expired = now - 2 * options.Value.MaxTimestampSkew;
        await db.RequestNonces.Where(n => n.Channel == WeChatReceipts.Channel && n.SeenAt < expired).ExecuteDeleteAsync(cancellationToken);

        var key = Sha256($"{timestamp}:{nonce}");
        var hash = Sha256(body);
        var first = await db.Database.ExecuteSqlAsync(
            $"""
            INSERT INTO "RequestNonces" ("Channel", "Nonce", "BodyHash", "SeenAt") VALUES ({WeChatReceipts.Channel}, {key}, {hash}, {dialect.Time(now)})
            ON CONFLICT DO NOTHING
            """,
            cancellationToken) == 1;
        if (first)
            return true;
        var seen = await db.RequestNonces.AsNoTracking()
            .Where(n => n.Channel == WeChatReceipts.Channel && n.Nonce == key)
            .Select(n => n.BodyHash)
            .FirstOrDefaultAsync(cancellationToken);
        return seen == hash;
    }

    private static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
