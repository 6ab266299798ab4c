using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Sqlite.Storage.Internal;
using Microsoft.EntityFrameworkCore.Storage;

namespace PaperBot.Core.Data;

#pragma warning disable EF1001 // Derives from EF's internal SQLite connection: CreateDbConnection is the one step it changes.

/// <summary>
/// EF's SQLite connection without the SQL functions EF adds to it (<c>regexp</c> and decimal arithmetic): PaperBot's
/// queries use neither, and Microsoft.Data.Sqlite registers every added function again on each open, each with a
/// finalizable handle — seven objects per open for the finalizer, kept alive through the next collection
/// (docs/benchmarks.md, Lean). A query that needed one would fail with "no such function", which the tests would meet.
/// The searches that ignore case add their own <c>lower</c> (<see cref="UnicodeLower"/>).
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
