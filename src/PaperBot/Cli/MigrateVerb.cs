using Microsoft.EntityFrameworkCore;
using PaperBot.Core.Data;

namespace PaperBot.Cli;

public static class MigrateVerb
{
    public static readonly Verb Definition = new("migrate", "migrate", "apply database migrations (every verb and the bot also do this first)", RunAsync);

    private static async Task<int> RunAsync(VerbContext context)
    {
        var applied = await context.Get<PaperBotDbContext>().Database.GetAppliedMigrationsAsync(context.CancellationToken);
        return context.Done($"database is up to date: {applied.Count()} migrations applied");
    }
}
