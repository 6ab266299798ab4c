using PaperBot.Core.Data;
using PaperBot.Core.Issues;

namespace PaperBot.Hosting;

/// <summary>
/// Before the host serves anything: make sure no other bot uses the database where only one may, apply migrations,
/// then give an empty database the sample issue.
/// </summary>
public sealed class DatabaseInitializer(IServiceScopeFactory scopes, StorageDialect dialect) : IHostedService, IDisposable
{
    private IDisposable? soleUse;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        soleUse = dialect.ClaimSoleUse();
        await using var scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<DatabaseMigrator>().MigrateAsync(cancellationToken);
        await scope.ServiceProvider.GetRequiredService<FirstStartSample>().ImportIfEmptyAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => soleUse?.Dispose();
}
