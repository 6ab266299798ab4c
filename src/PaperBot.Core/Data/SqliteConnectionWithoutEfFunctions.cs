using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Sqlite.Storage.Internal;
using Microsoft.EntityFrameworkCore.Storage;

namespace PaperBot.Core.Data;

#pragma warning disable EF1001 // EF's own SQLite connection, less one step; its constructor and CreateDbConnection are the extension points.

/// <summary>
/// EF's SQLite connection without the SQL functions EF adds to it (<c>regexp</c> and decimal arithmetic): PaperBot's
/// queries use neither, and Microsoft.Data.Sqlite registers every added function again on each open, each with a
/// finalizable handle — about fifteen objects for the finalizer and the next collections per answered message
/// (docs/benchmarks.md, Lean). A query that needed one would fail with "no such function", which the tests would meet.
/// </summary>
internal sealed class SqliteConnectionWithoutEfFunctions(
    RelationalConnectionDependencies dependencies,
    IRawSqlCommandBuilder rawSqlCommandBuilder,
    IDiagnosticsLogger<DbLoggerCategory.Infrastructure> logger)
    : SqliteRelationalConnection(dependencies, rawSqlCommandBuilder, logger)
{
    public static DbContextOptionsBuilder Use(DbContextOptionsBuilder options) =>
        options.ReplaceService<ISqliteRelationalConnection, SqliteConnectionWithoutEfFunctions>();

    protected override DbConnection CreateDbConnection() => new SqliteConnection(GetValidatedConnectionString());
}
