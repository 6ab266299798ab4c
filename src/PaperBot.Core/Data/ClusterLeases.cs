using Microsoft.EntityFrameworkCore;

namespace PaperBot.Core.Data;

/// <summary>Leases in the database, so that instances sharing it agree on who does a job only one may do.</summary>
public sealed class ClusterLeases(PaperBotDbContext db, TimeProvider clock)
{
    /// <summary>Takes or renews the lease; false while another holder's lease has not run out.</summary>
    public async Task<bool> TryAcquireAsync(string name, string holder, TimeSpan duration, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var until = now + duration;
        var renewed = await db.ClusterLeases
            .Where(l => l.Name == name && (l.Holder == holder || l.ExpiresAt < now))
            .ExecuteUpdateAsync(l => l.SetProperty(x => x.Holder, holder).SetProperty(x => x.ExpiresAt, until), cancellationToken);
        if (renewed == 1)
            return true;
        if (await db.ClusterLeases.AnyAsync(l => l.Name == name, cancellationToken))
            return false;

        db.ClusterLeases.Add(new ClusterLease { Name = name, Holder = holder, ExpiresAt = until });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateException)
        {
            // Another instance created it at the same moment; it holds it.
            db.ChangeTracker.Clear();
            return false;
        }
    }

    public Task<ClusterLease?> HolderAsync(string name, CancellationToken cancellationToken) =>
        db.ClusterLeases.AsNoTracking().FirstOrDefaultAsync(l => l.Name == name, cancellationToken);

    public Task ReleaseAsync(string name, string holder, CancellationToken cancellationToken) =>
        db.ClusterLeases.Where(l => l.Name == name && l.Holder == holder).ExecuteDeleteAsync(cancellationToken);
}
