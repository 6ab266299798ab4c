using Microsoft.EntityFrameworkCore;

namespace PaperBot.Core.Data;

public sealed class PostgresPaperBotDbContext(DbContextOptions<PostgresPaperBotDbContext> options) : PaperBotDbContext(options);
