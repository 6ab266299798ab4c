namespace PaperBot.Core.Arxiv;

/// <summary>
/// One request to arXiv at a time in this process, each starting at least <see cref="ArxivOptions.Spacing"/>
/// after the previous one ended, so that they reach arXiv 3 s apart as its terms ask: spacing the starts was not
/// enough, a first request slowed on its way (a new connection, a busy machine) arrived within 3 s of the next.
/// A token bucket (System.Threading.RateLimiting) would not do: it refills on a timer, so two requests either side
/// of a refill can be far less than 3 s apart.
/// </summary>
public sealed class ArxivGate(TimeProvider clock) : IDisposable
{
    private readonly SemaphoreSlim turn = new(1, 1);
    private DateTimeOffset? lastEnd;

    public async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> request, CancellationToken cancellationToken)
    {
        await turn.WaitAsync(cancellationToken);
        try
        {
            if (lastEnd is { } last && last + ArxivOptions.Spacing - clock.GetUtcNow() is { } wait && wait > TimeSpan.Zero)
                await Task.Delay(wait, clock, cancellationToken);
            try
            {
                return await request(cancellationToken);
            }
            finally
            {
                lastEnd = clock.GetUtcNow();
            }
        }
        finally
        {
            turn.Release();
        }
    }

    public void Dispose() => turn.Dispose();
}
