using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace PaperBot.Core.Data;

// Used only by `dotnet ef migrations add`; the connection strings are never opened.
internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqlitePaperBotDbContext>
{
    public SqlitePaperBotDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqlitePaperBotDbContext>().UseSqlite("Data Source=design-time.db").Options);
}

internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresPaperBotDbContext>
{
    public PostgresPaperBotDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresPaperBotDbContext>().UseNpgsql("Host=localhost;Database=paperbot_design").Options);
}
