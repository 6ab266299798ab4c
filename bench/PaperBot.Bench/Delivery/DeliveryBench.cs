using System.Diagnostics;
using System.Globalization;
using PaperBot.Bench.FakeBotApi;

namespace PaperBot.Bench.Delivery;

/// <summary>How big and how often: the defaults are the recorded figures' runs; <c>--quick</c> is a smaller check.</summary>
public sealed record DeliverySettings(double Rtt, int Paced, int PacedRuns, int Paid, int Subscribers, bool Quick, IReadOnlySet<string> Parts)
{
    public const string PacedPart = "paced";
    public const string PaidPart = "paid";
    public const string MillionPart = "million";
    public const double PacedRate = 25;
    public const double PaidRate = 1000;

    public static DeliverySettings From(Arguments arguments)
    {
        var quick = arguments.Flag("--quick");
        return new DeliverySettings(
            arguments.Number("--rtt", 50),
            arguments.WholeNumber("--paced", 750),
            arguments.WholeNumber("--paced-runs", quick ? 1 : 3),
            arguments.WholeNumber("--paid", quick ? 5_000 : 20_000),
            arguments.WholeNumber("--subscribers", quick ? 100_000 : 1_000_000),
            quick,
            (arguments.Value("--only") ?? $"{PacedPart},{PaidPart},{MillionPart}").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet());
    }

    /// <summary>Only some parts ran: a check, not a record for docs/benchmarks.md unless --out says where.</summary>
    public bool Partial => !(Parts.Contains(PacedPart) && Parts.Contains(PaidPart) && Parts.Contains(MillionPart));
}

public sealed record PacedRun(double Load, int Recipients, int Messages, double Rate, int Rejected, int PeakPerSecond, int Duplicates, int Sent, int Failed, IReadOnlyList<Refusal> Refusals)
{
    public double Ratio => Rate / DeliverySettings.PacedRate;
}

public sealed record PaidRun(double Load, int Recipients, int Messages, double Rate, int Rejected, int Paid, int PeakPerSecond, int Sent, int Failed);

public sealed record MillionRun(
    double Load, int Subscribers, TimeSpan Seeded, TimeSpan Queued, int Messages, double Rate, TimeSpan Sending, double StartMiB, double PeakMiB,
    IReadOnlyList<double> ProgressMs, IReadOnlyList<double> StatsMs, string StatsParts, int Sent, int Skipped, int Failed, int Duplicates);

public sealed record ProviderFigures(string Provider, IReadOnlyList<PacedRun> Paced, PaidRun? Paid, MillionRun? Million);

/// <summary>
/// Delivery (issue 16 and 14): the real bot process sending through the real Telegram.Bot client to the fake Bot API
/// in its own process, with a round-trip time. At 25/s under Telegram's limits; with paid broadcasts at 1,000/s; and
/// without any limit or round trip to a large audience (1,000,000 by default), timing the admin page's progress reads
/// and the stats verb's reads while it runs.
/// </summary>
public static class DeliveryBench
{
    private const int WarmUpMessages = 20;

    public static async Task<int> RunAsync(string[] args)
    {
        var arguments = Arguments.Parse(args);
        var settings = DeliverySettings.From(arguments);
        var databases = Databases.From(arguments);
        var output = arguments.Value("--out") ?? (settings.Partial ? null : "docs/benchmarks.md");
        var results = new List<ProviderFigures>();
        foreach (var provider in databases.Providers)
        {
            Console.WriteLine($"== {provider}");
            var paced = new List<PacedRun>();
            for (var run = 1; run <= settings.PacedRuns && settings.Parts.Contains(DeliverySettings.PacedPart); run++)
                paced.Add(await RunPacedAsync(databases, provider, settings));
            var paid = settings.Parts.Contains(DeliverySettings.PaidPart) ? await RunPaidAsync(databases, provider, settings) : null;
            var million = settings.Parts.Contains(DeliverySettings.MillionPart) ? await RunMillionAsync(databases, provider, settings) : null;
            results.Add(new ProviderFigures(provider, paced, paid, million));
        }

        var section = DeliveryReport.Write(settings, results, args);
        Console.WriteLine(section);
        if (output is not null)
        {
            await BenchmarksDoc.WriteAsync(output, DeliveryReport.Heading, section);
            Console.WriteLine($"written to {output}");
        }

        return 0;
    }

    private static async Task<PacedRun> RunPacedAsync(Databases databases, string provider, DeliverySettings settings)
    {
        await using var database = await databases.CreateAsync(provider, "paced");
        await using var audience = await Audience.CreateAsync(provider, database.ConnectionString);
        await audience.SeedAsync(settings.Paced);
        var issue = await audience.ImportAsync("超越 LSTM");
        await using var telegram = await FakeBotApiProcess.StartAsync(new FakeBotApiSettings(settings.Rtt));
        await using var bot = BotProcess.Start(BotEnvironment.For(database, telegram, DeliverySettings.PacedRate));
        await bot.WaitHealthyAsync();
        await WarmUpAsync(telegram, bot);
        var load = Machine.Load();
        var (pushId, _) = await audience.PublishAsync(issue);
        await audience.WaitDoneAsync(pushId, TimeSpan.FromMinutes(20), bot);
        var counts = await telegram.CountsAsync();
        var ledger = await audience.LedgerAsync(pushId);
        var run = new PacedRun(load, ledger.Recipients, counts.Messages, counts.Rate, counts.Rejected, counts.PeakPerSecond, counts.Duplicates, ledger.Sent, ledger.Failed, counts.Refusals);
        Console.WriteLine($"  paced: {run.Messages} messages to {run.Recipients} recipients at {run.Rate:0.00} msg/s (ratio {run.Ratio:0.000}), {run.Rejected} × 429, peak {run.PeakPerSecond} in one second, load {load:0.0}");
        foreach (var refusal in run.Refusals)
            Console.WriteLine($"    429 to chat {refusal.Chat} after {refusal.Accepted} messages: {refusal.InLastSecond} in the second before, {refusal.ToChatInLastThree} to that chat in the three before");
        return run;
    }

    private static async Task<PaidRun> RunPaidAsync(Databases databases, string provider, DeliverySettings settings)
    {
        await using var database = await databases.CreateAsync(provider, "paid");
        await using var audience = await Audience.CreateAsync(provider, database.ConnectionString);
        await audience.SeedAsync(settings.Paid);
        var issue = await audience.ImportAsync("超越 GRU");
        await using var telegram = await FakeBotApiProcess.StartAsync(new FakeBotApiSettings(settings.Rtt));
        await using var bot = BotProcess.Start(BotEnvironment.For(database, telegram, DeliverySettings.PaidRate, paidBroadcast: true));
        await bot.WaitHealthyAsync();
        await WarmUpAsync(telegram, bot);
        var load = Machine.Load();
        var (pushId, _) = await audience.PublishAsync(issue);
        await audience.WaitDoneAsync(pushId, TimeSpan.FromMinutes(20), bot);
        var counts = await telegram.CountsAsync();
        var ledger = await audience.LedgerAsync(pushId);
        var run = new PaidRun(load, ledger.Recipients, counts.Messages, counts.Rate, counts.Rejected, counts.Paid, counts.PeakPerSecond, ledger.Sent, ledger.Failed);
        Console.WriteLine($"  paid broadcast: {run.Messages} messages ({run.Paid} paid) at {run.Rate:0} msg/s, peak {run.PeakPerSecond} in one second, {run.Rejected} × 429, load {load:0.0}");
        return run;
    }

    private static async Task<MillionRun> RunMillionAsync(Databases databases, string provider, DeliverySettings settings)
    {
        await using var database = await databases.CreateAsync(provider, "million");
        await using var audience = await Audience.CreateAsync(provider, database.ConnectionString);
        var seeding = Stopwatch.StartNew();
        await audience.SeedAsync(settings.Subscribers);
        var seeded = seeding.Elapsed;
        Console.WriteLine($"  seeded {settings.Subscribers:N0} subscribers in {seeded.TotalSeconds:0.0} s");
        var issue = await audience.ImportAsync("超越 RNN");

        await using var telegram = await FakeBotApiProcess.StartAsync(new FakeBotApiSettings(0, LimitPerSecond: 0));
        await using var bot = BotProcess.Start(BotEnvironment.For(database, telegram, messagesPerSecond: 0));
        await bot.WaitHealthyAsync();
        await WarmUpAsync(telegram, bot);
        using var admin = await AdminClient.LogInAsync(bot.Address, BotEnvironment.AdminPassword);
        var load = Machine.Load();
        bot.StartWork();
        var (pushId, queued) = await audience.PublishAsync(issue);
        Console.WriteLine($"  queued {settings.Subscribers:N0} deliveries in {queued.TotalSeconds:0.00} s");
        var sending = Stopwatch.StartNew();
        using var reading = new CancellationTokenSource();
        var progress = ReadEveryAsync(TimeSpan.FromMilliseconds(100), () => admin.ReadProgressAsync(pushId), reading.Token);
        var statsParts = new List<StatsTimes>();
        var stats = ReadEveryAsync(TimeSpan.FromSeconds(2), async () =>
        {
            var times = await audience.StatsAsync();
            statsParts.Add(times);
            return times.Total;
        }, reading.Token);
        await audience.WaitDoneAsync(pushId, TimeSpan.FromMinutes(60), bot);
        sending.Stop();
        bot.StopWork();
        await reading.CancelAsync();
        var progressMs = await progress;
        var statsMs = await stats;
        var counts = await telegram.CountsAsync();
        var ledger = await audience.LedgerAsync(pushId);
        var run = new MillionRun(load, settings.Subscribers, seeded, queued, counts.Messages, counts.Rate, sending.Elapsed, bot.StartMiB, bot.PeakWorkingMiB,
            progressMs, statsMs, StatsParts(statsParts), ledger.Sent, ledger.Skipped, ledger.Failed, counts.Duplicates);
        Console.WriteLine($"  sent {ledger.Sent:N0} (skipped {ledger.Skipped:N0}, failed {ledger.Failed}) as {counts.Messages:N0} messages at {counts.Rate:0} msg/s in {sending.Elapsed.TotalSeconds:0} s; "
            + $"RSS {bot.StartMiB:0} MiB before, peak {bot.PeakWorkingMiB:0} MiB; progress p99 {Percentiles.Of(progressMs, 99):0.0} ms ({progressMs.Count} reads), "
            + $"stats p99 {Percentiles.Of(statsMs, 99):0} ms ({statsMs.Count} reads; medians {run.StatsParts}); load {load:0.0}");
        return run;
    }

    private static string StatsParts(IReadOnlyList<StatsTimes> parts)
    {
        double Median(Func<StatsTimes, TimeSpan> part) => Percentiles.Median(parts.Select(p => part(p).TotalMilliseconds).ToList());
        return string.Create(CultureInfo.InvariantCulture,
            $"subscribers, topics and pushes {Median(p => p.Report):0} ms, next push's estimate {Median(p => p.Estimate):0} ms, channel health {Median(p => p.Health):0} ms");
    }

    /// <summary>Reads one after another, starting every <paramref name="every"/> (or at once when a read took longer); the milliseconds each took.</summary>
    private static async Task<IReadOnlyList<double>> ReadEveryAsync(TimeSpan every, Func<Task<TimeSpan>> read, CancellationToken stop)
    {
        var took = new List<double>();
        while (!stop.IsCancellationRequested)
        {
            var started = Stopwatch.GetTimestamp();
            took.Add((await read()).TotalMilliseconds);
            var left = every - Stopwatch.GetElapsedTime(started);
            try
            {
                if (left > TimeSpan.Zero)
                    await Task.Delay(left, stop);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        return took;
    }

    /// <summary>
    /// Measured as a bot that has been running: readers wrote to it and it answered, so nothing is compiled or connected
    /// for the first time during the push. The readers are the first subscribers, so the push reaches them a second
    /// after their answer, within Telegram's per-chat limit if the bot does not keep it.
    /// </summary>
    private static async Task WarmUpAsync(FakeBotApiProcess telegram, BotProcess bot)
    {
        await telegram.ResetAsync();
        await telegram.EnqueueAsync(Audience.FirstChat, "/help", WarmUpMessages);
        var deadline = Stopwatch.StartNew();
        while (await telegram.CountsAsync() is { Messages: < WarmUpMessages } counts)
        {
            if (deadline.Elapsed > TimeSpan.FromSeconds(60))
                throw new TimeoutException($"the bot answered {counts.Messages} of {WarmUpMessages} warm-up messages in 60 s ({counts.Polls} polls):\n{bot.LastOutput()}");
            await Task.Delay(100);
        }

        await Task.Delay(1100);
        await telegram.ResetAsync();
    }
}
