using System.Globalization;
using System.Text;

namespace PaperBot.Bench.Delivery;

/// <summary>docs/benchmarks.md's delivery section: each figure beside its target, per database, with the runs behind it.</summary>
public static class DeliveryReport
{
    public const string Heading = "## Delivery: rates, the engine's ceiling and a million subscribers";

    public const double MinRatio = 0.97;
    public const double MinPaidRate = 950;
    public const double MinCeiling = 5000;
    public const double MaxQueueSeconds = 20;
    public const double MaxPeakMiB = 200;
    public const double TargetPeakMiB = 150;
    public const double MaxProgressP99Ms = 50;

    public static string Write(DeliverySettings settings, IReadOnlyList<ProviderFigures> results, IReadOnlyList<string> args)
    {
        var text = new StringBuilder();
        void Line(string line = "") => text.Append(line).Append('\n');
        string F(FormattableString value) => value.ToString(CultureInfo.InvariantCulture);
        string Row(string measure, string target, Func<ProviderFigures, string> value) =>
            $"| {measure} | {target} | " + string.Join(" | ", results.Select(value)) + " |";

        Line(Heading);
        Line();
        Line($"Measured {Machine.Now()} on {Machine.Describe()}{(settings.Quick ? " — a `--quick` run" : "")}, with");
        Line($"`{BenchCommand.Render("delivery", args)}`.");
        Line(F($"The bot is the Release `PaperBot.dll` in its own process; the fake Bot API is a second process (`fake-bot-api`) that"));
        Line(F($"holds every answer back by the round-trip time and enforces Telegram's limits with the tests' model (`tests/Shared/FloodLimits.cs`),"));
        Line("at below-normal CPU priority: it stands for Telegram's servers, which spend none of the bot's CPU. The bot runs with the Dockerfile's runtime settings.");
        Line("Rates are counted where the messages arrive, from the first to the last, and are API calls: a digest of several parts counts each part.");
        Line("Before each push 20 readers write `/help` and get their answers, so nothing is compiled for the first time during the push.");
        Line();
        const string NotRun = "not run";
        string Paced(ProviderFigures r, Func<IReadOnlyList<PacedRun>, string> value) => r.Paced.Count == 0 ? NotRun : value(r.Paced);
        string Paid(ProviderFigures r, Func<PaidRun, string> value) => r.Paid is { } paid ? value(paid) : NotRun;
        string Million(ProviderFigures r, Func<MillionRun, string> value) => r.Million is { } million ? value(million) : NotRun;

        Line("| measure | target | " + string.Join(" | ", results.Select(r => r.Provider)) + " |");
        Line("|---|---|" + string.Concat(results.Select(_ => "---|")));
        Line(Row(F($"achieved / configured at {DeliverySettings.PacedRate:0}/s, {settings.Rtt:0} ms RTT, Telegram's limits (median of {settings.PacedRuns}; worst)"), F($"≥ {MinRatio:0.00}"),
            r => Paced(r, runs => F($"{Percentiles.Median(runs.Select(p => p.Ratio).ToList()):0.000} ({runs.Min(p => p.Ratio):0.000})"))));
        Line(Row("429 answers in each paced run", "0", r => Paced(r, runs => string.Join(", ", runs.Select(p => p.Rejected)))));
        Line(Row(F($"paid broadcast: rate reached at {DeliverySettings.PaidRate:N0}/s configured, {settings.Rtt:0} ms RTT ({settings.Paid:N0} subscribers)"), F($"≥ {MinPaidRate:N0}/s"),
            r => Paid(r, paid => F($"{paid.Rate:N0}/s ({paid.Rejected} × 429)"))));
        Line(Row(F($"engine ceiling: messages/s at 0 ms RTT, no limit ({settings.Subscribers:N0} subscribers)"), F($"≥ {MinCeiling:N0}"), r => Million(r, m => F($"{m.Rate:N0}"))));
        Line(Row(F($"queueing the issue for {settings.Subscribers:N0}"), F($"≤ {MaxQueueSeconds:0} s"), r => Million(r, m => F($"{m.Queued.TotalSeconds:0.0} s"))));
        Line(Row("peak RSS of the bot during that push", F($"≤ {MaxPeakMiB:0} MiB (target ≤ {TargetPeakMiB:0})"), r => Million(r, m => F($"{m.PeakMiB:0} MiB"))));
        Line(Row("RSS of the warm bot just before the push", "", r => Million(r, m => F($"{m.StartMiB:0} MiB"))));
        Line(Row("admin progress reads during that push: p50 / p99 / max (reads)", F($"p99 ≤ {MaxProgressP99Ms:0} ms"), r => Million(r, m => Spread(m.ProgressMs, "0.0"))));
        Line(Row("`stats` reads during that push: p50 / p99 / max (reads)", "", r => Million(r, m => Spread(m.StatsMs, "0"))));
        Line(Row("`stats` reads by part, medians", "", r => Million(r, m => m.StatsParts)));
        Line(Row("that push: sent / skipped / failed", "all done", r => Million(r, m => F($"{m.Sent:N0} / {m.Skipped:N0} / {m.Failed:N0}"))));
        Line(Row("that push: messages, of which the same text to a chat twice", "0 twice", r => Million(r, m => F($"{m.Messages:N0}, {m.Duplicates}"))));
        Line(Row("that push: wall time from queueing to the last result", "", r => Million(r, m => F($"{m.Sending.TotalSeconds:0} s"))));
        Line(Row(F($"seeding {settings.Subscribers:N0} subscribers (one INSERT … SELECT)"), "", r => Million(r, m => F($"{m.Seeded.TotalSeconds:0.0} s"))));
        Line();
        Line("Each run with the 1-minute load average at its start (the machine is shared; above " + F($"{2 * Environment.ProcessorCount}") + " the run competed for the CPU and is marked *busy*):");
        Line();
        Line("| database | run | load | recipients | messages | msg/s | achieved / configured | 429 | most in one second | same text twice |");
        Line("|---|---|---|---|---|---|---|---|---|---|");
        foreach (var result in results)
        {
            foreach (var (run, i) in result.Paced.Select((p, i) => (p, i + 1)))
                Line(F($"| {result.Provider} | paced {i} | {Load(run.Load)} | {run.Recipients:N0} | {run.Messages:N0} | {run.Rate:0.00} | {run.Ratio:0.000} | {run.Rejected} | {run.PeakPerSecond} | {run.Duplicates} |"));
            if (result.Paid is { } paid)
                Line(F($"| {result.Provider} | paid | {Load(paid.Load)} | {paid.Recipients:N0} | {paid.Messages:N0} | {paid.Rate:0} | {paid.Rate / DeliverySettings.PaidRate:0.000} | {paid.Rejected} | {paid.PeakPerSecond} | |"));
            if (result.Million is { } million)
                Line(F($"| {result.Provider} | unlimited | {Load(million.Load)} | {million.Subscribers:N0} | {million.Messages:N0} | {million.Rate:0} | | | | {million.Duplicates} |"));
        }

        Line();
        Line("### Against the targets");
        Line();
        foreach (var result in results)
        {
            var p = result.Provider;
            if (result.Paced.Count > 0)
            {
                Verdict(text, p, "achieved / configured at 25/s", result.Paced.All(r => r.Ratio >= MinRatio), F($"worst run {result.Paced.Min(r => r.Ratio):0.000}"));
                Verdict(text, p, "no 429 at 25/s", result.Paced.All(r => r.Rejected == 0), F($"{result.Paced.Sum(r => r.Rejected)} in {result.Paced.Count} runs"));
            }

            if (result.Paid is { } paid)
                Verdict(text, p, "paid broadcast ≥ 950/s", paid.Rate >= MinPaidRate, F($"{paid.Rate:N0}/s"));
            if (result.Million is { } million)
            {
                Verdict(text, p, "engine ceiling ≥ 5,000/s", million.Rate >= MinCeiling, F($"{million.Rate:N0}/s"));
                Verdict(text, p, "queueing ≤ 20 s", million.Queued.TotalSeconds <= MaxQueueSeconds, F($"{million.Queued.TotalSeconds:0.0} s"));
                Verdict(text, p, "peak RSS ≤ 200 MiB", million.PeakMiB <= MaxPeakMiB,
                    F($"{million.PeakMiB:0} MiB{(million.PeakMiB <= TargetPeakMiB ? ", within the 150 MiB target too" : ", above the 150 MiB target")}"));
                Verdict(text, p, "progress read p99 ≤ 50 ms", Percentiles.Of(million.ProgressMs.ToList(), 99) <= MaxProgressP99Ms, F($"{Percentiles.Of(million.ProgressMs.ToList(), 99):0.0} ms"));
            }
        }

        return text.ToString();
    }

    private static void Verdict(StringBuilder text, string provider, string what, bool met, string figure) =>
        text.Append(CultureInfo.InvariantCulture, $"- {provider}: {what} — {(met ? "met" : "**missed**")} ({figure})\n");

    private static string Spread(IReadOnlyList<double> values, string format) => values.Count == 0
        ? "no reads"
        : string.Create(CultureInfo.InvariantCulture,
            $"{Percentiles.Median(values.ToList()).ToString(format, CultureInfo.InvariantCulture)} / {Percentiles.Of(values.ToList(), 99).ToString(format, CultureInfo.InvariantCulture)} / {values.Max().ToString(format, CultureInfo.InvariantCulture)} ms ({values.Count:N0})");

    public static string Load(double load) => string.Create(CultureInfo.InvariantCulture, $"{load:0.0}{(Machine.Busy(load) ? " *busy*" : "")}");
}
