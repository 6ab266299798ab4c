using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace PaperBot.Core.Data;

public sealed class SqlitePaperBotDbContext(DbContextOptions<SqlitePaperBotDbContext> options) : PaperBotDbContext(options)
{
    // SQLite has no date type and EF cannot compare or order DateTimeOffset stored as text there;
    // UTC ticks compare and sort correctly. Every time we store comes from TimeProvider.GetUtcNow().
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcTicksConverter>();
    }

    internal sealed class UtcTicksConverter() : ValueConverter<DateTimeOffset, long>(
        value => value.UtcTicks,
        ticks => new DateTimeOffset(ticks, TimeSpan.Zero));
}
