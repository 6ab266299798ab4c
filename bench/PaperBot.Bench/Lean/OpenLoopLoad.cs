using System.Diagnostics;

namespace PaperBot.Bench.Lean;

/// <param name="At">When the request was due, in seconds from the start of the load.</param>
/// <param name="LatencyMs">From when it was due (not when it went out) to the end of the answer.</param>
/// <param name="LateMs">How late the generator sent it: should stay near zero, or the generator was starved.</param>
public readonly record struct Sample(double At, double LatencyMs, bool Ok, double LateMs);

/// <summary>
/// An open-loop load generator: requests are due at a fixed rate whatever happens to the ones before — a slow answer
/// does not delay the next request, so slowness shows in the latencies instead of hiding in a lower rate. Latency is
/// counted from when a request was due. A dedicated thread keeps the schedule; the requests run on the pool.
/// </summary>
public sealed class OpenLoopLoad(Func<HttpRequestMessage> request)
{
    private static readonly HttpClient Client = new(new SocketsHttpHandler
    {
        UseCookies = false,
        MaxConnectionsPerServer = int.MaxValue,
        PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        ConnectTimeout = TimeSpan.FromSeconds(5),
    })
    {
        Timeout = TimeSpan.FromSeconds(30),
    };

    /// <summary>Sends <paramref name="rate"/> requests a second for <paramref name="duration"/>; <paramref name="milestone"/> runs when the given number have been answered.</summary>
    public async Task<Sample[]> RunAsync(Uri address, double rate, TimeSpan duration, (int Answered, Action Then)? milestone = null)
    {
        var total = (int)(rate * duration.TotalSeconds);
        var samples = new Sample[total];
        var pending = new Task[total];
        var answered = 0;
        var interval = Stopwatch.Frequency / rate;
        var start = Stopwatch.GetTimestamp();

        async Task SendAsync(int i, long due)
        {
            var sent = Stopwatch.GetTimestamp();
            var ok = false;
            try
            {
                using var message = request();
                message.RequestUri = new Uri(address, message.RequestUri!);
                using var response = await Client.SendAsync(message, HttpCompletionOption.ResponseContentRead);
                ok = response.IsSuccessStatusCode;
            }
            catch (Exception error) when (error is HttpRequestException or TaskCanceledException)
            {
            }

            samples[i] = new Sample(
                Stopwatch.GetElapsedTime(start, due).TotalSeconds,
                Stopwatch.GetElapsedTime(due).TotalMilliseconds,
                ok,
                Stopwatch.GetElapsedTime(due, sent).TotalMilliseconds);
            if (Interlocked.Increment(ref answered) == milestone?.Answered)
                milestone.Value.Then();
        }

        var schedule = new Thread(() =>
        {
            for (var i = 0; i < total; i++)
            {
                var due = start + (long)(i * interval);
                while (Stopwatch.GetTimestamp() is var now && now < due)
                {
                    if (due - now > Stopwatch.Frequency / 500)
                        Thread.Sleep(1);
                    else
                        Thread.SpinWait(20);
                }

                pending[i] = SendAsync(i, due);
            }
        })
        {
            IsBackground = true,
            Name = "open-loop load",
        };
        schedule.Start();
        await Task.Run(schedule.Join);
        await Task.WhenAll(pending);
        return samples;
    }
}
