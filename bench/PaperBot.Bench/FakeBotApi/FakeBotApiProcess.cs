using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;

namespace PaperBot.Bench.FakeBotApi;

/// <summary>How the fake Bot API behaves: its round-trip time and Telegram's limits (0 = none enforced).</summary>
public sealed record FakeBotApiSettings(double RttMilliseconds, int LimitPerSecond = 30, int PaidLimitPerSecond = 1000)
{
    public override string ToString() => LimitPerSecond > 0
        ? string.Create(CultureInfo.InvariantCulture, $"{RttMilliseconds:0} ms round trip, Telegram's limits ({LimitPerSecond}/s, {PaidLimitPerSecond}/s paid, 1/s per chat)")
        : string.Create(CultureInfo.InvariantCulture, $"{RttMilliseconds:0} ms round trip, no limits");
}

/// <summary>The fake Bot API started as its own process (this program again, mode <c>fake-bot-api</c>), and its /_bench/… controls.</summary>
public sealed class FakeBotApiProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly HttpClient control;

    private FakeBotApiProcess(Process process, Uri baseUrl)
    {
        this.process = process;
        BaseUrl = baseUrl;
        control = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(60) };
    }

    public Uri BaseUrl { get; }

    public static async Task<FakeBotApiProcess> StartAsync(FakeBotApiSettings settings)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            typeof(FakeBotApiProcess).Assembly.Location, "fake-bot-api", "--port", "0",
            "--rtt", settings.RttMilliseconds.ToString(CultureInfo.InvariantCulture),
            "--limit", settings.LimitPerSecond.ToString(CultureInfo.InvariantCulture),
            "--paid-limit", settings.PaidLimitPerSecond.ToString(CultureInfo.InvariantCulture),
        })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start)!;
        // The fake stands for Telegram's servers, which spend none of the bot's CPU: on a shared machine it takes what
        // the bot leaves rather than competing with it for the two cores (nice 10 on Linux).
        process.PriorityClass = ProcessPriorityClass.BelowNormal;
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { Length: > 0 })
                Console.Error.WriteLine($"  fake-bot-api: {e.Data}");
        };
        process.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.StartsWith(FakeBotApiServer.Listening, StringComparison.Ordinal))
            {
                var address = line[FakeBotApiServer.Listening.Length..].Split(' ')[0];
                _ = process.StandardOutput.ReadToEndAsync();
                return new FakeBotApiProcess(process, new Uri(address));
            }
        }

        throw new InvalidOperationException($"the fake Bot API exited with {process.ExitCode} before it listened");
    }

    public async Task<ApiCounts> CountsAsync() => (await control.GetFromJsonAsync<ApiCounts>("/_bench/counts", JsonSerializerOptions.Web))!;

    public async Task ResetAsync() => (await control.PostAsync("/_bench/reset", null)).EnsureSuccessStatusCode();

    /// <summary>Messages the next getUpdates hands the bot, from chats <paramref name="chatId"/> onwards.</summary>
    public async Task<UpdateResult> EnqueueAsync(long chatId, string text, int count = 1)
    {
        var response = await control.PostAsJsonAsync("/_bench/updates", new UpdateRequest(chatId, text, count), JsonSerializerOptions.Web);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<UpdateResult>(JsonSerializerOptions.Web))!;
    }

    /// <summary>When the first message after <paramref name="after"/> (a Stopwatch timestamp) reached a chat, if one has.</summary>
    public async Task<long?> FirstAsync(long after, long? chat = null, long? minChat = null)
    {
        var query = string.Create(CultureInfo.InvariantCulture, $"/_bench/first?after={after}")
            + (chat is { } c ? string.Create(CultureInfo.InvariantCulture, $"&chat={c}") : "")
            + (minChat is { } m ? string.Create(CultureInfo.InvariantCulture, $"&minChat={m}") : "");
        return (await control.GetFromJsonAsync<FirstArrival>(query, JsonSerializerOptions.Web))!.At;
    }

    /// <summary>Polls until a message after <paramref name="after"/> reaches the chat(s); null when none does in time.</summary>
    public async Task<long?> WaitForFirstAsync(long after, TimeSpan timeout, long? chat = null, long? minChat = null)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            if (await FirstAsync(after, chat, minChat) is { } at)
                return at;
            await Task.Delay(50);
        }

        return null;
    }

    public async ValueTask DisposeAsync()
    {
        control.Dispose();
        if (!process.HasExited)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }

        process.Dispose();
    }
}
