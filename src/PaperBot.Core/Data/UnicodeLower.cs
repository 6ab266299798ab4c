using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace PaperBot.Core.Data;

/// <summary>
/// SQLite's own <c>lower</c> changes only A–Z, so a search that ignores case (<c>ToLower()</c> in a query, as PostgreSQL's
/// <c>lower</c> reads it) would not find "Émile" from "émile" or "Łukasz" from "łukasz". A search replaces it on its own
/// connection before it queries: replaced on every connection it would cost every query a finalizable handle at each open
/// (<see cref="SqliteConnectionWithoutEfFunctions"/>).
/// </summary>
public static class UnicodeLower
{
    public static void UseFor(DbContext db)
    {
        if (db.Database.GetDbConnection() is SqliteConnection sqlite)
            sqlite.CreateFunction("lower", (string? text) => text?.ToLowerInvariant(), isDeterministic: true);
    }
}
