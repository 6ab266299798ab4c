using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace PaperBot.Bench;

/// <summary>docs/benchmarks.md's delivery section: the figures against their targets, with the machine and the date.</summary>
public static class Report
{
    public static string Write(IReadOnlyList<ProviderResult> results, BenchOptions options)
    {
        var text = new StringBuilder();
        void Line(string line = "") => text.Append(line).Append('\n');
        string F(FormattableString value) => value.ToString(CultureInfo.InvariantCulture);

        Line(BenchmarksDoc.Delivery);
        Line();
        Line("Produced by `dotnet run -c Release --project bench/PaperBot.Bench -- --postgres \"Host=127.0.0.1;Port=5432;Username=postgres\"`");
        Line("(without `--postgres` only SQLite runs). The bot under test is the real program (`PaperBot.dll`, Release) in its");
        Line("own process, sending with the real Telegram.Bot client over HTTP to a local fake Bot API in the bench process;");
        Line("the audience is seeded straight into the database (a tenth of it filtering on one topic, a tenth on another).");
        Line();
        Line(F($"- Date: {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC"));
        Line(F($"- Machine: {CpuModel()}, {Environment.ProcessorCount} cores, {MemoryGiB():0} GiB RAM, {RuntimeInformation.OSDescription}"));
        Line(F($"- Runtime: .NET {Environment.Version}"));
        Line(F($"- Audience: {options.Subscribers:N0} subscribers for throughput and memory; {options.PacedRecipients:N0} for the paced run"));
        Line();
        Line("| measure | target | " + string.Join(" | ", results.Select(r => r.Provider)) + " |");
        Line("|---|---|" + string.Concat(results.Select(_ => "---|")));
        Line("| messages/s against an unthrottled fake Bot API | ≥ 5,000 (must ≥ 1,000) | " + string.Join(" | ", results.Select(r => F($"{r.Throughput.MessagesPerSecond:N0}"))) + " |");
        Line("| peak memory (RSS) of the bot while pushing to the audience | ≤ 200 MB | " + string.Join(" | ", results.Select(r => F($"{r.Throughput.PeakMiB:N0} MiB"))) + " |");
        Line("| resident memory of the bot just before the push (warm, idle) | | " + string.Join(" | ", results.Select(r => F($"{r.Throughput.StartMiB:N0} MiB"))) + " |");
        Line("| time to queue an issue for the audience | ≤ 3 s | " + string.Join(" | ", results.Select(r => F($"{r.Throughput.Queued.TotalSeconds:0.00} s"))) + " |");
        Line("| achieved / configured rate (25 msg/s against a fake enforcing 30 msg/s) | ≥ 0.97 | " + string.Join(" | ", results.Select(r => F($"{r.Paced.Ratio:0.000} ({r.Paced.Achieved:0.00} msg/s)"))) + " |");
        Line("| 429 answers in the paced run | 0 | " + string.Join(" | ", results.Select(r => F($"{r.Paced.Rejected}"))) + " |");
        Line("| whole push: sent / failed | all sent | " + string.Join(" | ", results.Select(r => F($"{r.Throughput.Sent:N0} / {r.Throughput.Failed}"))) + " |");
        Line("| whole push: wall time | | " + string.Join(" | ", results.Select(r => F($"{r.Throughput.Sending.TotalSeconds:0.0} s"))) + " |");
        Line();
        Line("Rates are measured where the messages arrive (the fake Bot API), from the first to the last message of the push.");
        Line("Memory is the bot process's resident set, sampled every 50 ms from publishing until the last delivery was written.");
        Line();
        Line("## Reading the figures");
        Line();
        Line("- **Memory.** The peak misses the 200 MB target by a few tens of MB, and most of it is there before the push starts:");
        Line("  the warm, idle bot already holds about 190 MiB — of which the managed heap is only ~20 MiB; the rest is the runtime,");
        Line("  the mapped framework and library files (~60 MiB, shared with other .NET processes) and JIT-compiled code (~45 MiB).");
        Line("  The push adds 20–45 MiB and levels off as the audience grows: on SQLite 20,000 subscribers peaked near 210 MiB,");
        Line("  100,000 near 230 MiB and 200,000 near 243 MiB (the engine streams claimed batches of at most `Delivery__MaxBatch`");
        Line("  deliveries, renders a digest once per language and topic filter, and forgets per-chat pacing after a few seconds).");
        Line("  Workstation GC, no tiered PGO and `System.GC.ConserveMemory` are set in `src/PaperBot/PaperBot.csproj` for this;");
        Line("  `DOTNET_TieredCompilation=0` brings the peak to about 205 MiB but doubles the start-up time, so it is not the default.");
        Line("- **Throughput** is limited by the two cores shared between the bot, the fake Bot API and the database; the bot's");
        Line("  own work per message is a claim share, one HTTP request through Telegram.Bot and a share of a batched status update.");
        Line("  PostgreSQL (default durability settings, same machine) stays under the 5,000 msg/s target, well above the 1,000");
        Line("  floor: every claim and result write is a round trip to a server competing for the same two cores.");
        Line("  The bot starts with 32 pool threads (`ThreadPoolMinThreads`) because SQLite does its I/O synchronously on pool");
        Line("  threads; this costs 10–25% of the unthrottled rate, which no real channel allows anyway (Telegram: 30/s).");
        Line("- **429s on SQLite (open).** About one paced SQLite run in two or three draws exactly two 429s, always near the");
        Line("  460th message: half a dozen messages arrive within ~30 ms on top of the steady 40 ms cadence, all to the chats that");
        Line("  wrote to the bot during the warm-up. The channel then pauses for the `retry_after` second and nothing is lost,");
        Line("  but the run misses the zero-429 target; the cause is not yet found (a second spacing gate just before the HTTP");
        Line("  call did not remove it). PostgreSQL runs have shown none.");
        Line("- **Pacing.** Sends start at slots reserved in the database (`ChannelThrottles`), so the configured rate holds for the");
        Line("  whole cluster; a send that cannot start within 100 ms of its slot goes back to the queue instead of bunching up.");
        return text.ToString();
    }

    private static string CpuModel()
    {
        try
        {
            return File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown CPU";
        }
        catch (IOException)
        {
            return "unknown CPU";
        }
    }

    private static double MemoryGiB() => GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 1024.0 / 1024 / 1024;
}
