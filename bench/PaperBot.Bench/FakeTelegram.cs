using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace PaperBot.Bench;

/// <summary>
/// A Bot API double built for speed: answers sendMessage with the real envelope, records when each message arrived,
/// and can enforce Telegram's global limit (more than <see cref="LimitPerSecond"/> in any second → 429 retry_after 1).
/// </summary>
public sealed class FakeTelegram : IAsyncDisposable
{
    private const string ArrivedAt = "arrived-at";

    private readonly WebApplication app;
    private readonly Lock gate = new();
    private readonly Queue<long> window = new();
    private long[] arrivals = new long[1024];
    private int count;
    private int rejected;
    private long nextMessageId;
    private int warmUpMessages;

    private FakeTelegram(WebApplication app, int? limitPerSecond)
    {
        this.app = app;
        LimitPerSecond = limitPerSecond;
    }

    public int? LimitPerSecond { get; }
    public Uri BaseUrl { get; private set; } = null!;
    public int Delivered => Volatile.Read(ref count);
    public int Rejected => Volatile.Read(ref rejected);

    public static async Task<FakeTelegram> StartAsync(int? limitPerSecond = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var fake = new FakeTelegram(app, limitPerSecond);
        // The arrival time is taken first thing, before routing and reading the body.
        app.Use((http, next) =>
        {
            http.Items[ArrivedAt] = Stopwatch.GetTimestamp();
            return next(http);
        });
        app.MapPost("/bot{token}/{method}", fake.HandleAsync);
        await app.StartAsync();
        fake.BaseUrl = new Uri(app.Urls.First());
        return fake;
    }

    /// <summary>The next getUpdates brings <paramref name="count"/> "/help" messages, so the bot has answered a few before it is measured.</summary>
    public void QueueWarmUp(int count) => Volatile.Write(ref warmUpMessages, count);

    public void Reset()
    {
        lock (gate)
        {
            count = 0;
            rejected = 0;
            window.Clear();
        }
    }

    /// <summary>Messages per second between the first and the last arrival.</summary>
    public double Rate()
    {
        lock (gate)
            return count < 2 ? 0 : (count - 1) / Stopwatch.GetElapsedTime(arrivals[0], arrivals[count - 1]).TotalSeconds;
    }

    public TimeSpan Span()
    {
        lock (gate)
            return count < 2 ? TimeSpan.Zero : Stopwatch.GetElapsedTime(arrivals[0], arrivals[count - 1]);
    }

    private async Task HandleAsync(HttpContext http, string method)
    {
        http.Response.ContentType = "application/json";
        switch (method)
        {
            case "sendMessage":
                await SendMessageAsync(http);
                return;
            case "getMe":
                await http.Response.WriteAsync("""{"ok":true,"result":{"id":42,"is_bot":true,"first_name":"Bench","username":"BenchBot"}}""");
                return;
            case "getUpdates":
                if (Interlocked.Exchange(ref warmUpMessages, 0) is var warmUp and > 0)
                {
                    await http.Response.WriteAsync(WarmUpUpdates(warmUp));
                    return;
                }

                // A long poll that never brings anything: wait until the bot gives up or stops.
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(50), http.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                await http.Response.WriteAsync("""{"ok":true,"result":[]}""");
                return;
            default:
                await http.Response.WriteAsync("""{"ok":true,"result":true}""");
                return;
        }
    }

    private async Task SendMessageAsync(HttpContext http)
    {
        var now = (long)http.Items[ArrivedAt]!;
        var chatId = await ReadChatIdAsync(http.Request);
        long messageId = 0;
        lock (gate)
        {
            var limited = false;
            if (LimitPerSecond is { } limit)
            {
                while (window.Count > 0 && Stopwatch.GetElapsedTime(window.Peek(), now) > TimeSpan.FromSeconds(1))
                    window.Dequeue();
                limited = window.Count >= limit;
                if (limited)
                    rejected++;
                else
                    window.Enqueue(now);
            }

            if (!limited)
            {
                if (count == arrivals.Length)
                    Array.Resize(ref arrivals, arrivals.Length * 2);
                arrivals[count++] = now;
                messageId = ++nextMessageId;
            }
        }

        if (messageId == 0)
        {
            http.Response.StatusCode = 429;
            await http.Response.WriteAsync("""{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 1","parameters":{"retry_after":1}}""");
            return;
        }

        var date = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        await http.Response.WriteAsync(string.Create(CultureInfo.InvariantCulture,
            $$$"""{"ok":true,"result":{"message_id":{{{messageId}}},"date":{{{date}}},"chat":{"id":{{{chatId}}},"type":"private"},"text":"ok"}}"""));
    }

    private static string WarmUpUpdates(int count)
    {
        var date = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var updates = Enumerable.Range(1, count).Select(i => string.Create(CultureInfo.InvariantCulture,
            $$$"""{"update_id":{{{i}}},"message":{"message_id":{{{i}}},"date":{{{date}}},"chat":{"id":{{{i}}},"type":"private"},"from":{"id":{{{i}}},"is_bot":false,"first_name":"warm"},"text":"/help"}}"""));
        return $$"""{"ok":true,"result":[{{string.Join(',', updates)}}]}""";
    }

    private static async Task<string> ReadChatIdAsync(HttpRequest request)
    {
        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body);
        var reader = new Utf8JsonReader(body.GetBuffer().AsSpan(0, (int)body.Length));
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.PropertyName && reader.ValueTextEquals("chat_id"u8) && reader.Read())
                return reader.TokenType == JsonTokenType.Number ? reader.GetInt64().ToString(CultureInfo.InvariantCulture) : Encoding.UTF8.GetString(reader.ValueSpan);
        }

        return "0";
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
