using Microsoft.EntityFrameworkCore;

namespace PaperBot.Core.Data;

/// <summary>
/// Records that an inbound update was received, before anything acts on it: the first delivery of a key gets true,
/// every redelivery (after a restart, on another instance, a platform's retry) false. A redelivery is normal, so it is
/// an answer, not an exception.
/// </summary>
public sealed class InboundReceipts(PaperBotDbContext db, StorageDialect dialect, TimeProvider clock)
{
    public async Task<bool> TryRecordAsync(string channel, string key, CancellationToken cancellationToken) =>
        await db.Database.ExecuteSqlAsync(
            $"""
            INSERT INTO "InboundReceipts" ("Channel", "MessageKey", "ReceivedAt") VALUES ({channel}, {key}, {dialect.Time(clock.GetUtcNow())})
            ON CONFLICT DO NOTHING
            """,
            cancellationToken) == 1;
}
