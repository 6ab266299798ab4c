using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using PaperBot.Core.Data;
using PaperBot.Core.Data.CompiledModels.Postgres;
using PaperBot.Core.Data.CompiledModels.Sqlite;

namespace PaperBot.Core.Tests.Data;

/// <summary>
/// The host starts on compiled EF models (src/PaperBot.Core/Data/CompiledModels: no model building at start-up, issue 14).
/// They are generated code: when the entities or OnModelCreating change, these tests fail until the models are made
/// again (the commands are in docs/architecture.md). No database is opened.
/// </summary>
public sealed class CompiledModelTests
{
    private const string MakeAgain = "the compiled model is stale: run the two `dotnet ef dbcontext optimize` commands in docs/architecture.md";

    [Fact]
    public void SqliteRunsOnTheCompiledModelAndItMatchesTheEntities()
    {
        using var db = new SqlitePaperBotDbContext(new DbContextOptionsBuilder<SqlitePaperBotDbContext>().UseSqlite("Data Source=never-opened.db").Options);

        Assert.Same(SqlitePaperBotDbContextModel.Instance, db.Model);
        AssertSame(db.GetService<IDesignTimeModel>().Model, db.Model);
    }

    [Fact]
    public void PostgresRunsOnTheCompiledModelAndItMatchesTheEntities()
    {
        using var db = new PostgresPaperBotDbContext(new DbContextOptionsBuilder<PostgresPaperBotDbContext>().UseNpgsql("Host=127.0.0.1;Database=never_opened").Options);

        Assert.Same(PostgresPaperBotDbContextModel.Instance, db.Model);
        AssertSame(db.GetService<IDesignTimeModel>().Model, db.Model);
    }

    private static void AssertSame(IModel built, IModel compiled)
    {
        var (fromEntities, fromCompiled) = (Describe(built), Describe(compiled));
        var differences = fromEntities.Except(fromCompiled).Select(l => $"entities: {l}").Concat(fromCompiled.Except(fromEntities).Select(l => $"compiled: {l}")).ToList();
        Assert.True(differences.Count == 0, $"{MakeAgain}\n{string.Join('\n', differences)}");
    }

    /// <summary>
    /// What queries and saves depend on, one line per table, column, key, relation and index. (EF's migrations differ
    /// cannot read a compiled model, which keeps only what runs.)
    /// </summary>
    private static List<string> Describe(IModel model)
    {
        var lines = new List<string>();
        foreach (var entity in model.GetEntityTypes().OrderBy(e => e.Name, StringComparer.Ordinal))
        {
            var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
            lines.Add($"{entity.Name} → {table.DisplayName()}");
            lines.AddRange(entity.GetProperties().Select(p =>
                $"{entity.Name}.{p.Name}: {p.ClrType.Name} column {p.GetColumnName(table)} {p.GetColumnType(table)}"
                + $"{(p.IsNullable ? " null" : "")}{(p.GetMaxLength() is { } max ? $" max {max}" : "")} converter {p.GetTypeMapping().Converter?.GetType().Name} generated {p.ValueGenerated}"));
            lines.AddRange(entity.GetKeys().Select(k => $"{entity.Name} key ({Names(k.Properties)}){(k.IsPrimaryKey() ? " primary" : "")}"));
            lines.AddRange(entity.GetForeignKeys().Select(f =>
                $"{entity.Name} ({Names(f.Properties)}) → {f.PrincipalEntityType.Name} on delete {f.DeleteBehavior}{(f.IsRequired ? " required" : "")}"));
            lines.AddRange(entity.GetIndexes().Select(i => $"{entity.Name} index {i.GetDatabaseName(table)} ({Names(i.Properties)}){(i.IsUnique ? " unique" : "")}"));
        }

        return lines;

        static string Names(IEnumerable<IReadOnlyProperty> properties) => string.Join(", ", properties.Select(p => p.Name));
    }
}
