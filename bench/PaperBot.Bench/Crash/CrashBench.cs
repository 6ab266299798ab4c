using System.Diagnostics;
using PaperBot.Bench.FakeBotApi;

namespace PaperBot.Bench.Crash;

public sealed record CrashSettings(int Runs, double Rtt, int Subscribers, int KillAfterMessages, bool Quick)
{
    public const double Rate = 25;

    /// <summary>The reader who writes <c>/paper 4</c> once the restarted bot is healthy; not one of the seeded subscribers.</summary>
    public const long ReaderChat = 7;

    public static CrashSettings From(Arguments arguments)
    {
        var quick = arguments.Flag("--quick");
        return new CrashSettings(
            arguments.WholeNumber("--runs", quick ? 2 : 5),
            arguments.Number("--rtt", 50),
            arguments.WholeNumber("--subscribers", 500),
            arguments.WholeNumber("--kill-after", 125),
            quick);
    }
}

/// <param name="Restart">From starting the new process to /healthz 200.</param>
/// <param name="Answer">From healthy to the answer to <c>/paper 4</c> arriving at Telegram.</param>
/// <param name="Resumed">From healthy to the first digest arriving after the restart (negative: before healthy).</param>
/// <param name="Copies">Messages that reached a chat that already had that text: sent again after the crash.</param>
public sealed record CrashRun(double Load, int SentBeforeKill, TimeSpan Restart, TimeSpan? Answer, TimeSpan? Resumed, int Copies, int Recipients, int Sent, int Failed, int Rejected);

public sealed record CrashFigures(string Provider, IReadOnlyList<CrashRun> Runs);

/// <summary>
/// Crash (issue 16): kill -9 the bot in the middle of a push paced at 25/s, start it again, and time how soon after it
/// is healthy a reader's <c>/paper 4</c> (sent by long polling at that moment) is answered and the push resumes. The push is
/// then let finish, to count the copies sent again and check that nobody was lost.
/// </summary>
public static class CrashBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        var arguments = Arguments.Parse(args);
        var settings = CrashSettings.From(arguments);
        var databases = Databases.From(arguments);
        var output = arguments.Value("--out") ?? "docs/benchmarks.md";
        var results = new List<CrashFigures>();
        foreach (var provider in databases.Providers)
        {
            Console.WriteLine($"== {provider}");
            var runs = new List<CrashRun>();
            for (var run = 1; run <= settings.Runs; run++)
                runs.Add(await RunOnceAsync(databases, provider, settings));
            results.Add(new CrashFigures(provider, runs));
        }

        var section = CrashReport.Write(settings, results, args);
        await BenchmarksDoc.WriteAsync(output, CrashReport.Heading, section);
        Console.WriteLine(section);
        Console.WriteLine($"written to {output}");
        return 0;
    }

    private static async Task<CrashRun> RunOnceAsync(Databases databases, string provider, CrashSettings settings)
    {
        await using var database = await databases.CreateAsync(provider, "crash");
        await using var audience = await Audience.CreateAsync(provider, database.ConnectionString);
        await audience.SeedAsync(settings.Subscribers);
        var issue = await audience.ImportAsync("超越 LSTM");
        await using var telegram = await FakeBotApiProcess.StartAsync(new FakeBotApiSettings(settings.Rtt));
        var environment = BotEnvironment.For(database, telegram, CrashSettings.Rate);

        var load = Machine.Load();
        var pushId = await RunUntilKilledAsync(audience, issue, telegram, environment, settings.KillAfterMessages);
        var sentBeforeKill = (await telegram.CountsAsync()).Messages;

        await using var restarted = BotProcess.Start(environment);
        var healthy = await restarted.WaitHealthyAsync(every: TimeSpan.FromMilliseconds(10));
        await telegram.EnqueueAsync(CrashSettings.ReaderChat, "/paper 4");
        var answered = await telegram.WaitForFirstAsync(restarted.StartedAt, TimeSpan.FromMinutes(3), chat: CrashSettings.ReaderChat);
        var resumed = await telegram.WaitForFirstAsync(restarted.StartedAt, TimeSpan.FromMinutes(3), minChat: Audience.FirstChat);
        await audience.WaitDoneAsync(pushId, TimeSpan.FromMinutes(10), restarted);

        var counts = await telegram.CountsAsync();
        var ledger = await audience.LedgerAsync(pushId);
        var run = new CrashRun(load, sentBeforeKill, restarted.StartToHealthy,
            answered is { } a ? Stopwatch.GetElapsedTime(healthy, a) : null,
            resumed is { } r ? Stopwatch.GetElapsedTime(healthy, r) : null,
            counts.Duplicates, ledger.Recipients, ledger.Sent, ledger.Failed, counts.Rejected);
        Console.WriteLine($"  killed after {sentBeforeKill} messages; healthy {run.Restart.TotalSeconds:0.00} s after the restart; /paper 4 answered {Seconds(run.Answer)}, "
            + $"first digest {Seconds(run.Resumed)} after healthy; {run.Copies} sent again; {ledger.Sent} of {ledger.Recipients} sent, {ledger.Failed} failed; load {load:0.0}");
        if (answered is null || resumed is null)
            Console.WriteLine(restarted.LastOutput());
        return run;
    }

    /// <summary>Starts the bot, publishes, and kills it (-9) once Telegram has had <paramref name="messages"/> of the push.</summary>
    private static async Task<int> RunUntilKilledAsync(Audience audience, int issue, FakeBotApiProcess telegram, Dictionary<string, string> environment, int messages)
    {
        await using var bot = BotProcess.Start(environment);
        await bot.WaitHealthyAsync();
        await telegram.ResetAsync();
        var (pushId, _) = await audience.PublishAsync(issue);
        var deadline = Stopwatch.StartNew();
        while ((await telegram.CountsAsync()).Messages < messages)
        {
            if (deadline.Elapsed > TimeSpan.FromMinutes(3))
                throw new TimeoutException($"the push did not reach {messages} messages in 3 minutes:\n{bot.LastOutput()}");
            await Task.Delay(20);
        }

        await bot.KillAsync();
        return pushId;
    }

    private static string Seconds(TimeSpan? span) => span is { } s ? $"{s.TotalSeconds:0.00} s" : "never";
}
