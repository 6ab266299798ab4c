using PaperBot.Core.Data;
using PaperBot.Core.Issues;

namespace PaperBot.Hosting;

/// <summary>Before the host serves anything: apply migrations, then give an empty database the sample issue.</summary>
public sealed class DatabaseInitializer(IServiceScopeFactory scopes) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<DatabaseMigrator>().MigrateAsync(cancellationToken);
        await scope.ServiceProvider.GetRequiredService<FirstStartSample>().ImportIfEmptyAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
