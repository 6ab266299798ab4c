using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PaperBot.TestServices;

namespace PaperBot.Bench.FakeBotApi;

/// <summary>
/// A Bot API double in its own process, built to keep up with the bot: routes /bot{token}/{method}, answers with
/// Telegram's envelope, enforces Telegram's flood limits with the tests' model (<see cref="FloodLimits"/>, 429 and
/// retry_after when exceeded), holds every answer back by the round-trip time, serves getUpdates by long polling (a
/// newer poll ends the older one with 409 Conflict, as Telegram does), and records when each message arrived.
/// The bench reads and steers it through /_bench/… (see <see cref="FakeBotApiProcess"/>).
/// Times are <see cref="Stopwatch"/> timestamps: on Linux CLOCK_MONOTONIC in nanoseconds, the same clock in every
/// process on the machine, so the bench compares them with its own.
/// </summary>
public sealed class FakeBotApiServer
{
    public const string Listening = "fake-bot-api: listening on ";

    private readonly TimeSpan rtt;
    private readonly FloodLimits? flood;
    private readonly Lock gate = new();
    private readonly (long Ticks, DateTimeOffset Utc) origin = (Stopwatch.GetTimestamp(), DateTimeOffset.UtcNow);
    private readonly List<Update> pending = [];
    private readonly HashSet<(long Chat, int Text)> seen = [];
    private readonly List<Refusal> refusals = [];
    private long[] arrivals = new long[4096];
    private long[] chats = new long[4096];
    private int count;
    private int rejected;
    private int paid;
    private int duplicates;
    private int polls;
    private int nextMessageId = 1000;
    private int nextUpdateId = 1;
    private TaskCompletionSource changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private FakeBotApiServer(TimeSpan rtt, FloodLimits? flood)
    {
        this.rtt = rtt;
        this.flood = flood;
    }

    /// <summary><c>fake-bot-api --port 8081 --rtt 50 --limit 30 --paid-limit 1000</c>; <c>--limit 0</c> enforces no limit at all.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        var options = Arguments.Parse(args);
        var port = options.WholeNumber("--port", 0);
        var rtt = TimeSpan.FromMilliseconds(options.Number("--rtt", 50));
        var limit = options.WholeNumber("--limit", FloodLimits.PerSecond);
        var paidLimit = options.WholeNumber("--paid-limit", FloodLimits.PaidPerSecond);
        var server = new FakeBotApiServer(rtt, limit > 0 ? new FloodLimits(limit, paidLimit) : null);

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = 1024 * 1024);
        var app = builder.Build();
        app.Run(server.ServeAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Console.WriteLine($"{Listening}{address} (round trip {rtt.TotalMilliseconds:0} ms, {(limit > 0 ? $"{limit}/s, paid {paidLimit}/s, 1/s per chat with a burst of 3, 20/min per group" : "no limits")})");
        await app.WaitForShutdownAsync();
        return 0;
    }

    private async Task ServeAsync(HttpContext http)
    {
        var arrived = Stopwatch.GetTimestamp();
        var path = http.Request.Path.Value ?? "";
        if (path.StartsWith("/_bench/", StringComparison.Ordinal))
        {
            await ControlAsync(http, path["/_bench/".Length..]);
            return;
        }

        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments is not [var bot, var method] || !bot.StartsWith("bot", StringComparison.Ordinal))
        {
            await AnswerAsync(http, 404, """{"ok":false,"error_code":404,"description":"Not Found"}""");
            return;
        }

        var call = await ReadCallAsync(http.Request);
        (int Status, string Body) answer = method.ToLowerInvariant() switch
        {
            "sendmessage" or "editmessagetext" => Post(method, call, arrived),
            "getupdates" => await GetUpdatesAsync(call, http.RequestAborted),
            "getme" => (200, """{"ok":true,"result":{"id":123456789,"is_bot":true,"first_name":"Bench","username":"BenchBot","can_join_groups":true,"can_read_all_group_messages":false,"supports_inline_queries":false}}"""),
            _ => (200, """{"ok":true,"result":true}"""),
        };
        if (answer.Status == 0)
            return;
        await Task.Delay(rtt);
        await AnswerAsync(http, answer.Status, answer.Body);
    }

    private (int Status, string Body) Post(string method, Call call, long arrived)
    {
        var chat = call.Chat ?? "";
        if (flood?.Refuse(method, chat, call.Paid, At(arrived)) is { } retryAfter)
        {
            lock (gate)
            {
                rejected++;
                refusals.Add(Explain(chat, arrived));
            }

            return (429, string.Create(CultureInfo.InvariantCulture,
                $$$"""{"ok":false,"error_code":429,"description":"Too Many Requests: retry after {{{retryAfter}}}","parameters":{"retry_after":{{{retryAfter}}}}}"""));
        }

        var chatId = long.TryParse(chat, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var id) ? id : 0;
        int messageId;
        lock (gate)
        {
            if (count == arrivals.Length)
            {
                Array.Resize(ref arrivals, count * 2);
                Array.Resize(ref chats, count * 2);
            }

            arrivals[count] = arrived;
            chats[count] = chatId;
            count++;
            if (call.Paid)
                paid++;
            if (method.Equals("sendMessage", StringComparison.OrdinalIgnoreCase) && !seen.Add((chatId, call.TextHash)))
                duplicates++;
            messageId = call.MessageId ?? ++nextMessageId;
        }

        var type = chatId < 0 ? "group" : "private";
        return (200, string.Create(CultureInfo.InvariantCulture,
            $$$"""{"ok":true,"result":{"message_id":{{{messageId}}},"date":{{{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}}},"chat":{"id":{{{chatId}}},"type":"{{{type}}}","first_name":"Reader","title":"Readers"},"text":"ok"}}"""));
    }

    /// <summary>What the bot did just before a refusal: calls accepted in the second before, and to this chat in the three before.</summary>
    private Refusal Explain(string chat, long arrived)
    {
        var chatId = long.TryParse(chat, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var id) ? id : 0;
        var lastSecond = 0;
        var toChat = 0;
        for (var i = count - 1; i >= 0 && Stopwatch.GetElapsedTime(arrivals[i], arrived) <= TimeSpan.FromSeconds(3); i--)
        {
            if (Stopwatch.GetElapsedTime(arrivals[i], arrived) <= TimeSpan.FromSeconds(1))
                lastSecond++;
            if (chats[i] == chatId)
                toChat++;
        }

        return new Refusal(chat, arrived, count, lastSecond, toChat);
    }

    /// <summary>
    /// Long polling as Telegram serves it: updates below the offset are confirmed and forgotten; with none waiting the
    /// call waits up to its timeout. A second poll ends the first with 409 Conflict.
    /// </summary>
    private async Task<(int Status, string Body)> GetUpdatesAsync(Call call, CancellationToken aborted)
    {
        int mine;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(Math.Clamp(call.Timeout ?? 0, 0, 50));
        lock (gate)
        {
            mine = ++polls;
            Pulse();
        }

        while (true)
        {
            Task signal;
            lock (gate)
            {
                if (polls != mine)
                    return (409, """{"ok":false,"error_code":409,"description":"Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"}""");
                if (call.Offset is { } offset)
                    pending.RemoveAll(u => u.Id < offset);
                if (pending.Count > 0 || DateTime.UtcNow >= deadline)
                    return (200, $$"""{"ok":true,"result":[{{string.Join(',', pending.Take(call.Limit ?? 100).Select(u => u.Json))}}]}""");
                signal = changed.Task;
            }

            var left = deadline - DateTime.UtcNow;
            if (left > TimeSpan.Zero)
            {
                try
                {
                    await Task.WhenAny(signal, Task.Delay(left, aborted));
                }
                catch (OperationCanceledException)
                {
                }
            }

            if (aborted.IsCancellationRequested)
                return (0, "");
        }
    }

    /// <summary>Wakes the long polls: an update came, or a newer poll ends the older one.</summary>
    private void Pulse()
    {
        var old = changed;
        changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        old.TrySetResult();
    }

    private async Task ControlAsync(HttpContext http, string action)
    {
        switch (action)
        {
            case "counts":
                await http.Response.WriteAsJsonAsync(Counts());
                return;
            case "reset":
                lock (gate)
                {
                    count = rejected = paid = duplicates = 0;
                    seen.Clear();
                    refusals.Clear();
                }

                await http.Response.WriteAsJsonAsync(Counts());
                return;
            case "updates":
                var messages = await JsonSerializer.DeserializeAsync<UpdateRequest>(http.Request.Body, JsonSerializerOptions.Web);
                await http.Response.WriteAsJsonAsync(Enqueue(messages!));
                return;
            case "first":
                var query = http.Request.Query;
                await http.Response.WriteAsJsonAsync(new FirstArrival(First(
                    long.Parse(query["after"].ToString(), CultureInfo.InvariantCulture),
                    query.TryGetValue("chat", out var chat) ? long.Parse(chat.ToString(), CultureInfo.InvariantCulture) : null,
                    query.TryGetValue("minChat", out var min) ? long.Parse(min.ToString(), CultureInfo.InvariantCulture) : null)));
                return;
            default:
                http.Response.StatusCode = 404;
                return;
        }
    }

    private ApiCounts Counts()
    {
        lock (gate)
        {
            var peak = 0;
            for (int from = 0, to = 0; to < count; to++)
            {
                while (Stopwatch.GetElapsedTime(arrivals[from], arrivals[to]) >= TimeSpan.FromSeconds(1))
                    from++;
                peak = Math.Max(peak, to - from + 1);
            }

            return new ApiCounts(count, rejected, paid, duplicates, polls,
                count > 0 ? arrivals[0] : null, count > 0 ? arrivals[count - 1] : null,
                count < 2 ? 0 : (count - 1) / Stopwatch.GetElapsedTime(arrivals[0], arrivals[count - 1]).TotalSeconds,
                peak, refusals.Take(20).ToList());
        }
    }

    private UpdateResult Enqueue(UpdateRequest request)
    {
        var date = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        lock (gate)
        {
            var first = nextUpdateId;
            for (var i = 0; i < Math.Max(1, request.Count); i++)
            {
                var chat = request.ChatId + i;
                var id = nextUpdateId++;
                pending.Add(new Update(id, string.Create(CultureInfo.InvariantCulture,
                    $$$"""{"update_id":{{{id}}},"message":{"message_id":{{{id}}},"date":{{{date}}},"chat":{"id":{{{chat}}},"type":"private","first_name":"Reader"},"from":{"id":{{{chat}}},"is_bot":false,"first_name":"Reader","language_code":"en"},"text":{{{JsonSerializer.Serialize(request.Text)}}}}}""")));
            }

            Pulse();
            return new UpdateResult(first, nextUpdateId - 1);
        }
    }

    private long? First(long after, long? chat, long? minChat)
    {
        lock (gate)
        {
            for (var i = 0; i < count; i++)
            {
                if (arrivals[i] > after && (chat is null || chats[i] == chat) && (minChat is null || chats[i] >= minChat))
                    return arrivals[i];
            }
        }

        return null;
    }

    private DateTimeOffset At(long ticks) => origin.Utc + Stopwatch.GetElapsedTime(origin.Ticks, ticks);

    private static async Task AnswerAsync(HttpContext http, int status, string body)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json";
        await http.Response.WriteAsync(body);
    }

    /// <summary>The few parameters the fake looks at, read from Telegram.Bot's JSON body without building a document.</summary>
    private static async Task<Call> ReadCallAsync(HttpRequest request)
    {
        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body);
        var call = new Call();
        if (body.Length == 0)
            return call;
        var reader = new Utf8JsonReader(body.GetBuffer().AsSpan(0, (int)body.Length));
        while (reader.Read())
        {
            if (reader.TokenType != JsonTokenType.PropertyName || reader.CurrentDepth != 1)
                continue;
            var name = reader.GetString();
            if (!reader.Read())
                break;
            switch (name)
            {
                case "chat_id":
                    call.Chat = reader.TokenType == JsonTokenType.Number ? reader.GetInt64().ToString(CultureInfo.InvariantCulture) : reader.GetString();
                    break;
                case "text":
                    call.TextHash = HashText(reader.ValueSpan);
                    break;
                case "allow_paid_broadcast":
                    call.Paid = reader.TokenType == JsonTokenType.True;
                    break;
                case "message_id" when reader.TokenType == JsonTokenType.Number:
                    call.MessageId = reader.GetInt32();
                    break;
                case "offset" when reader.TokenType == JsonTokenType.Number:
                    call.Offset = reader.GetInt32();
                    break;
                case "limit" when reader.TokenType == JsonTokenType.Number:
                    call.Limit = reader.GetInt32();
                    break;
                case "timeout" when reader.TokenType == JsonTokenType.Number:
                    call.Timeout = reader.GetInt32();
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }

        return call;
    }

    private static int HashText(ReadOnlySpan<byte> text)
    {
        var hash = new HashCode();
        hash.AddBytes(text);
        return hash.ToHashCode();
    }

    private sealed class Call
    {
        public string? Chat { get; set; }
        public int TextHash { get; set; }
        public bool Paid { get; set; }
        public int? MessageId { get; set; }
        public int? Offset { get; set; }
        public int? Limit { get; set; }
        public int? Timeout { get; set; }
    }

    private sealed record Update(int Id, string Json);
}

/// <summary>What the fake has seen since it started or was last reset. Times are Stopwatch timestamps.</summary>
/// <param name="Messages">sendMessage and editMessageText calls accepted.</param>
/// <param name="Rejected">Calls answered 429 because the bot went over Telegram's limits.</param>
/// <param name="Paid">Accepted calls that carried allow_paid_broadcast.</param>
/// <param name="Duplicates">Messages with the same text to a chat that already had it.</param>
/// <param name="Rate">Messages per second between the first and the last arrival.</param>
/// <param name="PeakPerSecond">The most messages that arrived within any one second.</param>
public sealed record ApiCounts(
    int Messages, int Rejected, int Paid, int Duplicates, int Polls, long? FirstAt, long? LastAt, double Rate, int PeakPerSecond,
    IReadOnlyList<Refusal> Refusals);

/// <summary>A 429: the chat, when, how many messages had been accepted, how many in the second before and to that chat in the three before.</summary>
public sealed record Refusal(string Chat, long At, int Accepted, int InLastSecond, int ToChatInLastThree);

/// <summary><paramref name="Count"/> messages with <paramref name="Text"/> from chats <paramref name="ChatId"/>, <paramref name="ChatId"/>+1, ….</summary>
public sealed record UpdateRequest(long ChatId, string Text, int Count = 1);

public sealed record UpdateResult(int FirstUpdateId, int LastUpdateId);

public sealed record FirstArrival(long? At);
