using System.Globalization;
using System.Text;
using PaperBot.Bench.Delivery;

namespace PaperBot.Bench.Crash;

/// <summary>docs/benchmarks.md's crash section: medians and the worst of the runs against the targets, and every run.</summary>
public static class CrashReport
{
    public const string Heading = "## Crash recovery: kill -9 mid-push, then a restart";

    public static readonly TimeSpan MaxAnswer = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan MaxResumed = TimeSpan.FromSeconds(10);

    public static string Write(CrashSettings settings, IReadOnlyList<CrashFigures> results, IReadOnlyList<string> args)
    {
        var text = new StringBuilder();
        void Line(string line = "") => text.Append(line).Append('\n');
        string F(FormattableString value) => value.ToString(CultureInfo.InvariantCulture);
        string Row(string measure, string target, Func<CrashFigures, string> value) =>
            $"| {measure} | {target} | " + string.Join(" | ", results.Select(value)) + " |";

        Line(Heading);
        Line();
        Line($"Measured {Machine.Now()} on {Machine.Describe()}{(settings.Quick ? " — a `--quick` run" : "")}, with");
        Line($"`{BenchCommand.Render("crash", args)}`.");
        Line(F($"Each run: {settings.Subscribers:N0} subscribers, a push paced at {CrashSettings.Rate:0}/s against the fake Bot API ({settings.Rtt:0} ms round trip,"));
        Line(F($"Telegram's limits); the bot is killed with SIGKILL once {settings.KillAfterMessages} messages have arrived, and started again at once. When the new"));
        Line("process answers `/healthz`, a reader who never wrote before sends `/paper 4` (long polling); the times are from that moment to the answer");
        Line("and to the first digest arriving at the fake Bot API (on one clock: CLOCK_MONOTONIC, shared by the processes). The push is then let finish.");
        Line(F($"{settings.Runs} runs per database; median and worst. The sending engine starts before `/healthz` is polled healthy (every 10 ms), so a"));
        Line("first digest can arrive a few milliseconds before that moment: a negative time.");
        Line();
        Line("| measure | target | " + string.Join(" | ", results.Select(r => r.Provider)) + " |");
        Line("|---|---|" + string.Concat(results.Select(_ => "---|")));
        Line(Row("restart to healthy: median (worst)", "", r => Spread(r.Runs.Select(x => (TimeSpan?)x.Restart))));
        Line(Row("healthy to the answer to `/paper 4`: median (worst)", F($"≤ {MaxAnswer.TotalSeconds:0} s"), r => Spread(r.Runs.Select(x => x.Answer))));
        Line(Row("healthy to the first digest after the restart: median (worst)", F($"≤ {MaxResumed.TotalSeconds:0} s"), r => Spread(r.Runs.Select(x => x.Resumed))));
        Line(Row("copies sent again after the crash, per run", "only what was in flight", r => string.Join(", ", r.Runs.Select(x => x.Copies))));
        Line(Row("subscribers who got the issue / recipients, per run", "all", r => string.Join(", ", r.Runs.Select(x => F($"{x.Sent}/{x.Recipients}")))));
        Line(Row("429 answers, all runs", "0", r => F($"{r.Runs.Sum(x => x.Rejected)}")));
        Line();
        Line("| database | run | load | messages before the kill | restart to healthy | to the answer | to the first digest | sent again | failed |");
        Line("|---|---|---|---|---|---|---|---|---|");
        foreach (var result in results)
        {
            foreach (var (run, i) in result.Runs.Select((r, i) => (r, i + 1)))
            {
                Line(F($"| {result.Provider} | {i} | {DeliveryReport.Load(run.Load)} | {run.SentBeforeKill} | {run.Restart.TotalSeconds:0.00} s | {Seconds(run.Answer)} | {Seconds(run.Resumed)} | {run.Copies} | {run.Failed} |"));
            }
        }

        Line();
        Line("### Against the targets");
        Line();
        foreach (var result in results)
        {
            var worstAnswer = Worst(result.Runs.Select(r => r.Answer));
            var worstResumed = Worst(result.Runs.Select(r => r.Resumed));
            Line(F($"- {result.Provider}: `/paper 4` answered ≤ 5 s after healthy — {Met(worstAnswer <= MaxAnswer)} (worst {Seconds(worstAnswer)})"));
            Line(F($"- {result.Provider}: sending resumed ≤ 10 s after healthy — {Met(worstResumed <= MaxResumed)} (worst {Seconds(worstResumed)})"));
        }

        return text.ToString();
    }

    private static string Met(bool met) => met ? "met" : "**missed**";

    /// <summary>A run where it never happened counts as the worst.</summary>
    private static TimeSpan? Worst(IEnumerable<TimeSpan?> spans)
    {
        var all = spans.ToList();
        return all.Any(s => s is null) ? null : all.Max();
    }

    private static string Spread(IEnumerable<TimeSpan?> spans)
    {
        var all = spans.ToList();
        var happened = all.Where(s => s is not null).Select(s => s!.Value.TotalSeconds).ToList();
        var never = all.Count - happened.Count;
        return happened.Count == 0
            ? "never"
            : string.Create(CultureInfo.InvariantCulture, $"{Percentiles.Median(happened):0.00} s ({happened.Max():0.00} s)") + (never > 0 ? $", never in {never}" : "");
    }

    private static string Seconds(TimeSpan? span) => span is { } s ? string.Create(CultureInfo.InvariantCulture, $"{s.TotalSeconds:0.00} s") : "never";
}
