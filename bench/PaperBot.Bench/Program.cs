using PaperBot.Bench.Crash;
using PaperBot.Bench.Delivery;
using PaperBot.Bench.FakeBotApi;
using PaperBot.Bench.Lean;

// The benchmarks, one mode per first argument; each writes only its own section of docs/benchmarks.md.
//   dotnet run -c Release --project bench/PaperBot.Bench -- [delivery] [--postgres "Host=…"] [--quick]
//   dotnet run -c Release --project bench/PaperBot.Bench -- crash [--postgres "Host=…"] [--quick]
//   dotnet run -c Release --project bench/PaperBot.Bench -- lean [--quick]
//   dotnet run -c Release --project bench/PaperBot.Bench -- fake-bot-api --port 8081 --rtt 50 --limit 30 --paid-limit 1000
//   dotnet run -c Release --project bench/PaperBot.Bench -- topics [compare]   (the tagger against the hand labels in bench/topics)
return args.FirstOrDefault() switch
{
    "fake-bot-api" => await FakeBotApiServer.RunAsync(args[1..]),
    "crash" => await CrashBench.RunAsync(args[1..]),
    "lean" => await LeanBench.RunAsync(args[1..]),
    "delivery" => await DeliveryBench.RunAsync(args[1..]),
    "topics" => await PaperBot.Bench.Topics.TopicsBench.RunAsync(args[1..]),
    _ => await DeliveryBench.RunAsync(args),
};
