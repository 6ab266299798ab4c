using System.Diagnostics;
using System.Globalization;
using PaperBot.Bench;

// Delivery benchmarks: the real bot process sending through the real Telegram.Bot client to a local fake Bot API.
//   dotnet run -c Release --project bench/PaperBot.Bench -- [--subscribers 100000] [--paced 750] [--postgres "Host=…"] [--out docs/benchmarks.md]
// Topic tagging against the hand-labelled evaluation set in bench/topics:
//   dotnet run -c Release --project bench/PaperBot.Bench -- topics
if (args.FirstOrDefault() == "topics")
    return await PaperBot.Bench.Topics.TopicsBench.RunAsync(args[1..]);

var options = BenchOptions.Parse(args);
var results = new List<ProviderResult>();
foreach (var (provider, connectionFor) in options.Providers())
{
    Console.WriteLine($"== {provider}");
    var throughput = await RunThroughputAsync(provider, connectionFor, options.Subscribers);
    var paced = await RunPacedAsync(provider, connectionFor, options.PacedRecipients);
    results.Add(new ProviderResult(provider, throughput, paced));
}

var report = Report.Write(results, options);
await BenchmarksDoc.WriteAsync(options.Output, BenchmarksDoc.Delivery, report);
Console.WriteLine(report);
Console.WriteLine($"written to {options.Output}");
return 0;

static async Task<Throughput> RunThroughputAsync(string provider, Func<string, Task<(string Connection, Func<Task> Drop)>> connectionFor, int subscribers)
{
    var (connection, drop) = await connectionFor("throughput");
    try
    {
        await using var audience = await Audience.CreateAsync(provider, connection);
        var seeding = Stopwatch.StartNew();
        await audience.SeedAsync(subscribers);
        Console.WriteLine($"  seeded {subscribers} subscribers in {seeding.Elapsed.TotalSeconds:0.0} s");
        var issue = await audience.ImportAsync("超越 RNN");

        await using var telegram = await FakeTelegram.StartAsync();
        await using var bot = BotProcess.Start(BotSettings(provider, connection, telegram, messagesPerSecond: 0));
        await bot.WaitHealthyAsync();
        await WarmUpAsync(telegram);
        bot.StartWork();
        var (pushId, queued) = await audience.PublishAsync(issue);
        Console.WriteLine($"  queued {subscribers} deliveries in {queued.TotalSeconds:0.00} s");
        var sending = Stopwatch.StartNew();
        await WaitUntilSentAsync(audience, pushId, TimeSpan.FromMinutes(15));
        bot.StopWork();
        var ledger = await audience.LedgerAsync(pushId);
        Console.WriteLine($"  sent {ledger.Sent} (skipped {ledger.Skipped}, failed {ledger.Failed}) at {telegram.Rate():0} msg/s; RSS {bot.StartMiB:0} MiB before, peak {bot.PeakWorkingMiB:0} MiB");
        return new Throughput(subscribers, queued, telegram.Rate(), sending.Elapsed, bot.StartMiB, bot.PeakWorkingMiB, ledger.Sent, ledger.Failed);
    }
    finally
    {
        await drop();
    }
}

static async Task<Paced> RunPacedAsync(string provider, Func<string, Task<(string Connection, Func<Task> Drop)>> connectionFor, int recipients)
{
    const int configured = 25;
    const int telegramLimit = 30;
    var (connection, drop) = await connectionFor("paced");
    try
    {
        await using var audience = await Audience.CreateAsync(provider, connection);
        await audience.SeedAsync(recipients);
        var issue = await audience.ImportAsync("超越 LSTM");
        await using var telegram = await FakeTelegram.StartAsync(limitPerSecond: telegramLimit);
        await using var bot = BotProcess.Start(BotSettings(provider, connection, telegram, messagesPerSecond: configured));
        await bot.WaitHealthyAsync();
        await WarmUpAsync(telegram);
        var (pushId, _) = await audience.PublishAsync(issue);
        await WaitUntilSentAsync(audience, pushId, TimeSpan.FromMinutes(10));
        var achieved = telegram.Rate();
        Console.WriteLine($"  paced: {recipients} messages at {achieved:0.00} msg/s (configured {configured}, Telegram's limit {telegramLimit}), {telegram.Rejected} answered 429");
        return new Paced(recipients, configured, telegramLimit, achieved, telegram.Rejected, telegram.Span());
    }
    finally
    {
        await drop();
    }
}

static Dictionary<string, string> BotSettings(string provider, string connection, FakeTelegram telegram, double messagesPerSecond) => new()
{
    ["Storage__Provider"] = provider,
    ["ConnectionStrings__PaperBot"] = connection,
    ["Samples__ImportOnFirstStart"] = "false",
    ["Arxiv__Enabled"] = "false",
    ["Telegram__BotToken"] = "123456789:BENCH-token_0123456789abcdefghijklmnopq",
    ["Telegram__ApiBaseUrl"] = telegram.BaseUrl.ToString(),
    ["Delivery__MessagesPerSecond"] = messagesPerSecond.ToString(CultureInfo.InvariantCulture),
};

// Measured as a bot that has been running: it has answered a few messages, so nothing is compiled or connected
// for the first time during the push.
static async Task WarmUpAsync(FakeTelegram telegram)
{
    const int messages = 20;
    telegram.Reset();
    telegram.QueueWarmUp(messages);
    var deadline = Stopwatch.StartNew();
    while (telegram.Delivered < messages && deadline.Elapsed < TimeSpan.FromSeconds(30))
        await Task.Delay(50);
    await Task.Delay(1100);
    telegram.Reset();
}

static async Task WaitUntilSentAsync(Audience audience, int pushId, TimeSpan timeout)
{
    var deadline = Stopwatch.StartNew();
    while (await audience.PendingAsync(pushId) > 0)
    {
        if (deadline.Elapsed > timeout)
            throw new TimeoutException($"push {pushId} still pending after {timeout}");
        await Task.Delay(250);
    }
}
