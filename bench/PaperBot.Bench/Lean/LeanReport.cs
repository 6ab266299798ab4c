using System.Globalization;
using System.Text;
using PaperBot.Bench.Delivery;

namespace PaperBot.Bench.Lean;

/// <summary>docs/benchmarks.md's lean section: issue 14's table — bare app, PaperBot, ratio — with the targets, and every run.</summary>
public static class LeanReport
{
    public const string Heading = "## Lean: PaperBot beside a bare ASP.NET app";

    public static string Write(LeanSettings settings, LeanFigures figures, IReadOnlyList<string> args)
    {
        var text = new StringBuilder();
        void Line(string line = "") => text.Append(line).Append('\n');
        string F(FormattableString value) => value.ToString(CultureInfo.InvariantCulture);
        double Median(IReadOnlyList<LeanRun> runs, Func<LeanRun, double> figure) => Percentiles.Median(runs.Select(figure).ToList());

        var bare = figures.Bare;
        var bot = figures.PaperBot;
        Line(Heading);
        Line();
        Line($"Measured {Machine.Now()} on {Machine.Describe()}{(settings.Quick ? " — a `--quick` run" : "")}, with");
        Line($"`{BenchCommand.Render("lean", args)}`.");
        Line(F($"Both apps are published with {DotnetPublish.Description}, and run as `dotnet app.dll` in Production, one after the other in each run, {settings.Runs} runs; the figures are medians."));
        Line(F($"The bare app is `dotnet new web` with `app.MapGet(\"/healthz\", …)` added, as the template makes it ({(figures.BareServerGc ? "server" : "workstation")} GC)."));
        Line("PaperBot runs on its defaults (SQLite, the sample imported on the first start, Telegram and WeChat off) except the console's per-address");
        Line($"limit, lifted because the load comes from one address, and with the Dockerfile's runtime environment ({string.Join(", ", BotEnvironment.Runtime.Select(s => $"`{s.Key}={s.Value}`"))}).");
        Line("\"Existing database\" is a restart on the database of the run's first start.");
        Line(F($"Latency: an open-loop generator in the bench process sends {settings.Rate:0} requests a second from the moment `/healthz` answers, whatever"));
        Line(F($"the answers before took (PaperBot: `POST /api/chat {{\"text\":\"/paper 4\"}}` without a cookie; bare: `GET /healthz`), timing each from when it"));
        Line(F($"was due; \"first 10 s\" is the requests due in the first {settings.FirstWindow.TotalSeconds:0} s, \"warm\" those due from {settings.WarmAfter.TotalSeconds:0} s to {(settings.WarmAfter + settings.WarmWindow).TotalSeconds:0} s."));
        Line(F($"Memory is the resident set (VmRSS) {settings.Idle.TotalSeconds:0} s after healthy with no requests, and the peak (VmHWM) once {settings.ConsoleRequests:N0} requests were answered."));
        Line();
        Line("| figure | bare ASP.NET | PaperBot | ratio | must | target |");
        Line("|---|---|---|---|---|---|");
        var startBare = Median(bare, r => r.StartExisting.TotalSeconds);
        var startBot = Median(bot, r => r.StartExisting.TotalSeconds);
        var startNew = Percentiles.Median(bot.Where(r => r.StartNew is not null).Select(r => r.StartNew!.Value.TotalSeconds).ToList());
        Line(F($"| start to `/healthz` 200, existing database | {startBare:0.00} s | {startBot:0.00} s ({startNew:0.00} s on a new database) | {startBot / startBare:0.0}× | ≤ 1.5× | ≤ 1.2× |"));
        var idleBare = Median(bare, r => r.IdleMiB);
        var idleBot = Median(bot, r => r.IdleMiB);
        Line(F($"| RSS idle, {settings.Idle.TotalSeconds:0} s after healthy | {idleBare:0} MiB | {idleBot:0} MiB | {idleBot / idleBare:0.0}× | ≤ 2× | ≤ 1.5× |"));
        var firstBare = Median(bare, r => r.P99FirstMs);
        var firstBot = Median(bot, r => r.P99FirstMs);
        Line(F($"| p99 at {settings.Rate:0} req/s, first 10 s after start | {firstBare:0.0} ms (max {Median(bare, r => r.MaxFirstMs):0}) | {firstBot:0.0} ms (max {Median(bot, r => r.MaxFirstMs):0}) | {firstBot / firstBare:0.0}× | ≤ 3× | |"));
        var warmBare = Median(bare, r => r.P99WarmMs);
        var warmBot = Median(bot, r => r.P99WarmMs);
        Line(F($"| p99 at {settings.Rate:0} req/s, warm | {warmBare:0.0} ms | {warmBot:0.0} ms | {warmBot / warmBare:0.0}× | ≤ 1.5× | |"));
        Line(F($"| peak RSS after {settings.ConsoleRequests:N0} requests | {Median(bare, r => r.PeakAfterRequestsMiB):0} MiB | {Median(bot, r => r.PeakAfterRequestsMiB):0} MiB | {Median(bot, r => r.PeakAfterRequestsMiB) / Median(bare, r => r.PeakAfterRequestsMiB):0.0}× | | |"));
        Line();
        Line("Every run, with the 1-minute load average at its start (the machine is shared; a *busy* run competed for the CPU). \"Late\" is how");
        Line("late the generator sent its requests (p99): near zero means the schedule held.");
        Line();
        Line("| app | run | load | start, existing (new) database | RSS idle | p99 first 10 s (max) | p99 warm | peak RSS after requests | errors | late |");
        Line("|---|---|---|---|---|---|---|---|---|---|");
        foreach (var (name, runs) in new[] { ("bare", bare), ("PaperBot", bot) })
        {
            foreach (var (run, i) in runs.Select((r, i) => (r, i + 1)))
            {
                Line(F($"| {name} | {i} | {DeliveryReport.Load(run.Load)} | {run.StartExisting.TotalSeconds:0.00} s{(run.StartNew is { } n ? F($" ({n.TotalSeconds:0.00} s)") : "")} | {run.IdleMiB:0} MiB | {run.P99FirstMs:0.0} ms ({run.MaxFirstMs:0}) | {run.P99WarmMs:0.0} ms | {run.PeakAfterRequestsMiB:0} MiB | {run.Errors} | {run.P99LateMs:0.0} ms |"));
            }
        }

        Line();
        Line("### Against the targets");
        Line();
        Verdict(text, "restart to healthy ≤ 1.5× the bare app (target ≤ 1.2×)", startBot / startBare, 1.5, 1.2);
        Verdict(text, "idle RSS ≤ 2× the bare app (target ≤ 1.5×)", idleBot / idleBare, 2, 1.5);
        Verdict(text, "p99 of `/paper 4` in the first 10 s ≤ 3× the bare app's", firstBot / firstBare, 3, null);
        Verdict(text, "p99 warm ≤ 1.5× the bare app's", warmBot / warmBare, 1.5, null);
        return text.ToString();
    }

    private static void Verdict(StringBuilder text, string what, double ratio, double must, double? target)
    {
        var verdict = ratio <= must ? target is { } t ? ratio <= t ? "met, the target too" : "met; the target is not" : "met" : "**missed**";
        text.Append(CultureInfo.InvariantCulture, $"- {what} — {verdict} ({ratio:0.00}×)\n");
    }
}
