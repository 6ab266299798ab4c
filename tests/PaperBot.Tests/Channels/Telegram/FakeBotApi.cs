using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PaperBot.TestServices;

namespace PaperBot.Tests.Channels.Telegram;

/// <summary>One call the bot made: the method (as Telegram spells it) and its parameters, from JSON, form or query.</summary>
public sealed record BotCall(string Method, JsonObject Parameters)
{
    public string? this[string name] => Parameters[name] switch
    {
        null => null,
        JsonValue value when value.TryGetValue<string>(out var text) => text,
        var node => node.ToJsonString(),
    };

    public string Text => this["text"] ?? "";

    /// <summary>When the call arrived (on the fake's clock), taken before its body is read.</summary>
    public DateTimeOffset At { get; init; } = DateTimeOffset.UtcNow;

    /// <summary>The message_id the fake gave a sent message.</summary>
    public int? MessageId { get; set; }

    public string? ChatId => this["chat_id"];

    /// <summary>The inline keyboard's buttons, row by row flattened: (text, url, callback_data).</summary>
    public IReadOnlyList<(string Text, string? Url, string? Data)> Buttons =>
        FakeBotApi.Json(Parameters["reply_markup"]) is JsonObject { } markup && markup["inline_keyboard"] is JsonArray rows
            ? rows.OfType<JsonArray>().SelectMany(r => r.OfType<JsonObject>())
                .Select(b => ((string)b["text"]!, (string?)b["url"], (string?)b["callback_data"])).ToList()
            : [];
}

/// <summary>
/// A Bot API server on 127.0.0.1 that answers the real Telegram.Bot client as Telegram does: routes
/// /bot{token}/{method}, the {"ok":…,"result":…} envelope, error_code/description/parameters on failure,
/// getUpdates long polling with offset and timeout, and message ids that count up. It checks what Telegram
/// checks (HTML entities, 4096 characters, 64-byte callback_data, editing a message that exists and changed, a forum
/// topic that is open),
/// enforces Telegram's flood limits by itself (<see cref="FloodLimits"/>: a call over them is refused with 429 and
/// retry_after, and the fake fails the test when disposed unless the test expected it), and records every call, so
/// tests assert on what the bot really sent.
/// </summary>
public sealed class FakeBotApi : IAsyncDisposable
{
    public const string Token = "123456789:AAFake-Token_ForTests0123456789abcdef";
    public const long BotId = 123456789;
    public const string BotUsername = "PaperTestBot";

    private readonly WebApplication app;
    private readonly object gate = new();
    private readonly List<BotCall> calls = [];
    private readonly List<JsonObject> pending = [];
    private readonly Dictionary<string, Queue<FakeAnswer>> failures = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<(string Chat, int Id), (string Text, string? Markup)> messages = [];
    private readonly FloodLimits flood = new();
    private readonly List<BotCall> floodRefusals = [];
    private readonly Dictionary<string, Hold> holds = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, TimeSpan> arrivalDelays = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<long, Dictionary<long, string>> members = [];
    private readonly Dictionary<long, Dictionary<int, TopicState>> forums = [];
    private readonly TimeProvider clock;
    private TaskCompletionSource changed = NewSignal();
    private int nextMessageId = 1000;
    private int nextUpdateId = 1;
    private int abandonedPolls;

    private FakeBotApi(WebApplication app, TimeProvider clock)
    {
        this.app = app;
        this.clock = clock;
    }

    public Uri BaseUrl { get; private set; } = null!;

    public string? WebhookUrl { get; private set; }

    public string? WebhookSecret { get; private set; }

    /// <param name="clock">Stamps each call's arrival; a test that gives the bot a fake clock gives the fake the same one.</param>
    public static async Task<FakeBotApi> StartAsync(TimeProvider? clock = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var fake = new FakeBotApi(app, clock ?? TimeProvider.System);
        app.Run(fake.ServeAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        fake.BaseUrl = new Uri(address);
        return fake;
    }

    public IReadOnlyList<BotCall> Calls
    {
        get
        {
            lock (gate)
                return calls.ToList();
        }
    }

    /// <summary>Calls the fake refused because the bot went over Telegram's limits.</summary>
    public IReadOnlyList<BotCall> FloodRefusals
    {
        get
        {
            lock (gate)
                return floodRefusals.ToList();
        }
    }

    /// <summary>While true, every call is refused with 401 Unauthorized, as after the token was revoked in @BotFather.</summary>
    public bool TokenRevoked { get; set; }

    /// <summary>Faults sendMessage meets by itself: latency, 502s, resets before executing, answers lost after executing.</summary>
    public FaultPlan? Faults { get; set; }

    /// <summary>Set by a test that provokes Telegram's limits on purpose; otherwise a refusal fails the test at dispose.</summary>
    public bool ExpectFloodRefusals { get; set; }

    public IReadOnlyList<BotCall> CallsTo(string method) => Calls.Where(c => c.Method.Equals(method, StringComparison.OrdinalIgnoreCase)).ToList();

    /// <summary>The messages the chat received: sendMessage calls that went through.</summary>
    public IReadOnlyList<BotCall> SentTo(long chatId) =>
        CallsTo("sendMessage").Where(c => c.MessageId is not null && c.ChatId == chatId.ToString(CultureInfo.InvariantCulture)).ToList();

    /// <summary>Queues an update for getUpdates; it gets the next update_id unless it has one.</summary>
    public int Enqueue(JsonObject update)
    {
        lock (gate)
        {
            if (update["update_id"] is null)
                update["update_id"] = nextUpdateId++;
            pending.Add(update);
            Pulse();
            return (int)update["update_id"]!;
        }
    }

    /// <summary>Long polls the bot gave up on (closed the connection) before they were answered.</summary>
    public int AbandonedPolls
    {
        get
        {
            lock (gate)
                return abandonedPolls;
        }
    }

    /// <summary>The next call of <paramref name="method"/> is held up on its way: it arrives <paramref name="delay"/> after it was sent.</summary>
    public void DelayNextArrival(string method, TimeSpan delay)
    {
        lock (gate)
            arrivalDelays[method] = delay;
    }

    /// <summary>Calls of <paramref name="method"/> after the first <paramref name="answered"/> wait unanswered until <see cref="Release"/>.</summary>
    public void HoldAfter(string method, int answered)
    {
        lock (gate)
            holds[method] = new Hold(answered);
    }

    /// <summary>Answers the calls held by <see cref="HoldAfter"/>, and every later one at once.</summary>
    public void Release(string method)
    {
        lock (gate)
        {
            if (holds.Remove(method, out var hold))
                hold.Released.TrySetResult();
        }
    }

    /// <summary>
    /// Makes <paramref name="chatId"/> a group the fake knows, with <paramref name="userId"/> in it as
    /// <paramref name="status"/>: creator, administrator, member, restricted, left or kicked. Anyone else there is "left";
    /// getChatMember in a chat the fake does not know answers 400 "chat not found", as Telegram does.
    /// </summary>
    public void SetChatMember(long chatId, long userId, string status)
    {
        lock (gate)
        {
            if (!members.TryGetValue(chatId, out var chat))
                members[chatId] = chat = [];
            chat[userId] = status;
        }
    }

    /// <summary>
    /// Makes <paramref name="chatId"/> a forum supergroup with topic <paramref name="threadId"/> open in it. A
    /// sendMessage with a message_thread_id is answered as Telegram does: a thread the chat does not have (any thread in a
    /// chat that is no forum) 400 "message thread not found", a closed topic 400 TOPIC_CLOSED, a deleted one 400
    /// TOPIC_DELETED; without one the message goes to the chat (a forum's General).
    /// </summary>
    public void OpenForumTopic(long chatId, int threadId) => SetTopic(chatId, threadId, TopicState.Open);

    /// <summary>An administrator closed the topic: members and bots without the right to manage topics cannot post in it.</summary>
    public void CloseForumTopic(long chatId, int threadId) => SetTopic(chatId, threadId, TopicState.Closed);

    /// <summary>An administrator deleted the topic with its messages.</summary>
    public void DeleteForumTopic(long chatId, int threadId) => SetTopic(chatId, threadId, TopicState.Deleted);

    private void SetTopic(long chatId, int threadId, TopicState state)
    {
        lock (gate)
        {
            if (!forums.TryGetValue(chatId, out var topics))
                forums[chatId] = topics = [];
            topics[threadId] = state;
        }
    }

    private enum TopicState
    {
        Open,
        Closed,
        Deleted,
    }

    public int NextUpdateId()
    {
        lock (gate)
            return nextUpdateId++;
    }

    /// <summary>The next <paramref name="times"/> calls of <paramref name="method"/> fail with <paramref name="failure"/>.</summary>
    public void FailNext(string method, FakeAnswer failure, int times = 1)
    {
        lock (gate)
        {
            if (!failures.TryGetValue(method, out var queue))
                failures[method] = queue = new Queue<FakeAnswer>();
            for (var i = 0; i < times; i++)
                queue.Enqueue(failure);
        }
    }

    /// <summary>Waits until the recorded calls satisfy <paramref name="condition"/>; fails the test after <paramref name="timeout"/>.</summary>
    public async Task<IReadOnlyList<BotCall>> WaitForAsync(Func<IReadOnlyList<BotCall>, bool> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            Task signal;
            lock (gate)
            {
                if (condition(calls))
                    return calls.ToList();
                signal = changed.Task;
            }

            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
                throw new TimeoutException($"fake Bot API: timed out waiting for {what}; calls: {string.Join(", ", Calls.Select(c => c.Method))}");
            await Task.WhenAny(signal, Task.Delay(left));
        }
    }

    public async Task<BotCall> WaitForCallAsync(string method, Func<BotCall, bool> match, string what, TimeSpan? timeout = null)
    {
        bool Matches(BotCall c) => c.Method.Equals(method, StringComparison.OrdinalIgnoreCase) && match(c);
        var all = await WaitForAsync(cs => cs.Any(Matches), what, timeout);
        return all.Last(Matches);
    }

    public Task<BotCall> WaitForMessageAsync(long chatId, Func<BotCall, bool>? match = null, string? what = null) =>
        WaitForCallAsync("sendMessage", c => c.MessageId is not null && c.ChatId == chatId.ToString(CultureInfo.InvariantCulture) && (match?.Invoke(c) ?? true),
            what ?? $"a message to chat {chatId}");

    public async ValueTask DisposeAsync()
    {
        lock (gate)
        {
            foreach (var hold in holds.Values)
                hold.Released.TrySetResult();
            holds.Clear();
        }

        await app.StopAsync();
        await app.DisposeAsync();
        var refused = FloodRefusals;
        if (refused.Count > 0 && !ExpectFloodRefusals)
        {
            var first = refused[0];
            var before = Calls.Where(c => c.At > first.At - TimeSpan.FromSeconds(1) && c.At <= first.At && c.MessageId is not null && c.ChatId is not null).ToList();
            var toChat = Calls.Where(c => c.ChatId == first.ChatId && c.At > first.At - TimeSpan.FromSeconds(5) && c.At <= first.At).Select(c => $"{c.At:ss.fff}");
            throw new InvalidOperationException(
                $"fake Bot API: the bot went over Telegram's limits {refused.Count} times (429 answered), first {first.Method} to chat {first.ChatId} at {first.At:HH:mm:ss.fff}; "
                + $"{before.Count} messages accepted in the second before it; calls to that chat in the 5 s before: {string.Join(' ', toChat)}");
        }
    }

    private async Task ServeAsync(HttpContext http)
    {
        var segments = http.Request.Path.Value?.Split('/', StringSplitOptions.RemoveEmptyEntries) ?? [];
        TimeSpan delay;
        lock (gate)
            delay = segments is [_, var called] && arrivalDelays.Remove(called, out var held) ? held : TimeSpan.Zero;
        if (delay > TimeSpan.Zero)
            await Task.Delay(delay);
        var arrived = clock.GetUtcNow();
        if (segments is not [var bot, var method] || !bot.StartsWith("bot", StringComparison.Ordinal))
        {
            await WriteAsync(http, FakeAnswer.Error(404, "Not Found"));
            return;
        }

        if (bot[3..] != Token || TokenRevoked)
        {
            await WriteAsync(http, FakeAnswer.Error(401, "Unauthorized"));
            return;
        }

        var parameters = await ReadParametersAsync(http.Request);
        var call = new BotCall(method, parameters) { At = arrived };
        await HeldAsync(method);
        FakeAnswer? failure;
        lock (gate)
            failure = failures.TryGetValue(method, out var queue) && queue.Count > 0 ? queue.Dequeue() : null;

        // A call is recorded once answered, so a test that sees it also sees its message_id; a long poll as it starts.
        if (failure is { Drop: true })
        {
            Record(call);
            http.Abort();
            return;
        }

        if (failure is null && flood.Refuse(method, call.ChatId ?? "", string.Equals(call["allow_paid_broadcast"], "true", StringComparison.OrdinalIgnoreCase), arrived) is { } retryAfter)
        {
            lock (gate)
                floodRefusals.Add(call);
            Record(call);
            await WriteAsync(http, FakeAnswer.TooManyRequests(retryAfter));
            return;
        }

        var fault = failure is null && method.Equals("sendMessage", StringComparison.OrdinalIgnoreCase) ? Faults?.Next() : null;
        if (fault is not null)
        {
            await Task.Delay(fault.Latency);
            switch (fault.Kind)
            {
                case FaultKind.Reset:
                    http.Abort();
                    return;
                case FaultKind.BadGateway:
                    await WriteAsync(http, FakeAnswer.BadGateway);
                    return;
                case FaultKind.LostAnswer:
                    SendMessage(call);
                    Record(call);
                    http.Abort();
                    return;
            }
        }

        var answer = failure ?? method.ToLowerInvariant() switch
        {
            "getme" => Ok(BotUser()),
            "setmycommands" => SetMyCommands(call),
            "setwebhook" => SetWebhook(call),
            "deletewebhook" => DeleteWebhook(),
            "getupdates" => await GetUpdatesAsync(call, http.RequestAborted),
            "sendmessage" => SendMessage(call),
            "editmessagetext" => EditMessageText(call),
            "answercallbackquery" => Ok(true),
            "getchatmember" => GetChatMember(call),
            _ => FakeAnswer.Error(404, "Not Found: method not found"),
        };
        if (!method.Equals("getUpdates", StringComparison.OrdinalIgnoreCase) || failure is not null)
            Record(call);
        await WriteAsync(http, answer);
    }

    private void Record(BotCall call)
    {
        lock (gate)
        {
            calls.Add(call);
            Pulse();
        }
    }

    private static FakeAnswer SetMyCommands(BotCall call)
    {
        var commands = Json(call.Parameters["commands"]) as JsonArray ?? [];
        foreach (var command in commands.OfType<JsonObject>())
        {
            var name = (string?)command["command"] ?? "";
            var description = (string?)command["description"] ?? "";
            if (name.Length is < 1 or > 32 || !name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_'))
                return FakeAnswer.Error(400, "Bad Request: BOT_COMMAND_INVALID");
            if (description.Length is < 1 or > 256)
                return FakeAnswer.Error(400, "Bad Request: command description must be non-empty");
        }

        return Ok(true);
    }

    private FakeAnswer SetWebhook(BotCall call)
    {
        lock (gate)
        {
            WebhookUrl = call["url"];
            WebhookSecret = call["secret_token"];
        }

        return Ok(true, "Webhook was set");
    }

    private FakeAnswer DeleteWebhook()
    {
        lock (gate)
        {
            WebhookUrl = null;
            WebhookSecret = null;
        }

        return Ok(true, "Webhook was deleted");
    }

    private async Task<FakeAnswer> GetUpdatesAsync(BotCall call, CancellationToken aborted)
    {
        if (WebhookUrl is not null)
            return FakeAnswer.Error(409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first");
        var offset = int.TryParse(call["offset"], out var o) ? o : 0;
        var limit = int.TryParse(call["limit"], out var l) ? Math.Clamp(l, 1, 100) : 100;
        var timeout = TimeSpan.FromSeconds(int.TryParse(call["timeout"], out var t) ? t : 0);
        var deadline = DateTime.UtcNow + timeout;
        Record(call);
        while (true)
        {
            Task signal;
            lock (gate)
            {
                // Asking with an offset confirms every update below it: Telegram forgets them.
                pending.RemoveAll(u => (int)u["update_id"]! < offset);
                if (pending.Count > 0 || DateTime.UtcNow >= deadline)
                    return Ok(new JsonArray(pending.Take(limit).Select(u => (JsonNode)u.DeepClone()).ToArray()));
                signal = changed.Task;
            }

            try
            {
                await Task.WhenAny(signal, Task.Delay(deadline - DateTime.UtcNow, aborted));
            }
            catch (OperationCanceledException)
            {
            }

            if (aborted.IsCancellationRequested)
            {
                lock (gate)
                {
                    abandonedPolls++;
                    Pulse();
                }

                return Ok(new JsonArray());
            }
        }
    }

    private Task HeldAsync(string method)
    {
        lock (gate)
            return holds.TryGetValue(method, out var hold) && ++hold.Seen > hold.Answered ? hold.Released.Task : Task.CompletedTask;
    }

    private sealed class Hold(int answered)
    {
        public int Answered { get; } = answered;
        public int Seen { get; set; }
        public TaskCompletionSource Released { get; } = NewSignal();
    }

    /// <summary>A ChatMember object as Telegram documents it, by status.</summary>
    private FakeAnswer GetChatMember(BotCall call)
    {
        if (!long.TryParse(call.ChatId, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var chatId)
            || !long.TryParse(call["user_id"], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var userId))
            return FakeAnswer.Error(400, "Bad Request: invalid user_id specified");
        string status;
        lock (gate)
        {
            if (!members.TryGetValue(chatId, out var chat))
                return FakeAnswer.ChatNotFound;
            status = chat.GetValueOrDefault(userId, "left");
        }

        var user = new JsonObject { ["id"] = userId, ["is_bot"] = false, ["first_name"] = "Ada" };
        var member = new JsonObject { ["status"] = status, ["user"] = user };
        switch (status)
        {
            case "creator":
                member["is_anonymous"] = false;
                break;
            case "administrator":
                foreach (var right in new[] { "can_be_edited", "is_anonymous", "can_manage_chat", "can_delete_messages", "can_manage_video_chats", "can_restrict_members", "can_promote_members", "can_change_info", "can_invite_users", "can_post_stories", "can_edit_stories", "can_delete_stories" })
                    member[right] = right is "can_manage_chat" or "can_change_info" or "can_invite_users";
                break;
            case "restricted":
                member["is_member"] = true;
                foreach (var right in new[] { "can_send_messages", "can_send_audios", "can_send_documents", "can_send_photos", "can_send_videos", "can_send_video_notes", "can_send_voice_notes", "can_send_polls", "can_send_other_messages", "can_add_web_page_previews", "can_change_info", "can_invite_users", "can_pin_messages", "can_manage_topics" })
                    member[right] = false;
                member["until_date"] = 0;
                break;
            case "kicked":
                member["until_date"] = 0;
                break;
        }

        return Ok(member);
    }

    private FakeAnswer SendMessage(BotCall call)
    {
        if (Check(call) is { } problem)
            return problem;
        var chat = call.ChatId!;
        lock (gate)
        {
            if (ThreadRefusal(call) is { } refused)
                return refused;
            var id = nextMessageId++;
            messages[(chat, id)] = (call.Text, call["reply_markup"]);
            call.MessageId = id;
            var message = Message(chat, id, call);
            if (call["message_thread_id"] is { } thread)
            {
                message["message_thread_id"] = int.Parse(thread, CultureInfo.InvariantCulture);
                message["is_topic_message"] = true;
                message["chat"]!["is_forum"] = true;
            }

            return Ok(message);
        }
    }

    /// <summary>Why Telegram would refuse the call's message_thread_id; null when it names an open topic, or none.</summary>
    private FakeAnswer? ThreadRefusal(BotCall call)
    {
        if (call["message_thread_id"] is not { } thread)
            return null;
        var state = long.TryParse(call.ChatId, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var chatId)
            && int.TryParse(thread, NumberStyles.None, CultureInfo.InvariantCulture, out var threadId)
            && forums.TryGetValue(chatId, out var topics) && topics.TryGetValue(threadId, out var found)
                ? found
                : (TopicState?)null;
        return state switch
        {
            TopicState.Open => null,
            TopicState.Closed => FakeAnswer.Error(400, "Bad Request: TOPIC_CLOSED"),
            TopicState.Deleted => FakeAnswer.Error(400, "Bad Request: TOPIC_DELETED"),
            _ => FakeAnswer.Error(400, "Bad Request: message thread not found"),
        };
    }

    private FakeAnswer EditMessageText(BotCall call)
    {
        if (Check(call) is { } problem)
            return problem;
        var chat = call.ChatId!;
        var id = int.TryParse(call["message_id"], out var m) ? m : 0;
        lock (gate)
        {
            if (!messages.TryGetValue((chat, id), out var existing))
                return FakeAnswer.Error(400, "Bad Request: message to edit not found");
            if (existing.Text == call.Text && existing.Markup == call["reply_markup"])
                return FakeAnswer.Error(400, "Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current message content and reply markup of the message");
            messages[(chat, id)] = (call.Text, call["reply_markup"]);
            return Ok(Message(chat, id, call));
        }
    }

    /// <summary>What Telegram refuses before sending: no chat, empty or unparsable text, too long, bad buttons.</summary>
    private static FakeAnswer? Check(BotCall call)
    {
        if (string.IsNullOrEmpty(call.ChatId))
            return FakeAnswer.Error(400, "Bad Request: chat_id is empty");
        var text = call.Text;
        if (string.Equals(call["parse_mode"], "html", StringComparison.OrdinalIgnoreCase))
        {
            var (plain, error) = FakeHtml.Parse(text);
            if (error is not null)
                return FakeAnswer.Error(400, $"Bad Request: can't parse entities: {error}");
            text = plain;
        }

        if (text.Trim().Length == 0)
            return FakeAnswer.Error(400, "Bad Request: message text is empty");
        if (text.Length > 4096)
            return FakeAnswer.Error(400, "Bad Request: message is too long");
        foreach (var (label, url, data) in call.Buttons)
        {
            if (string.IsNullOrEmpty(label))
                return FakeAnswer.Error(400, "Bad Request: text buttons are unallowed in the inline keyboard");
            if (data is not null && Encoding.UTF8.GetByteCount(data) is < 1 or > 64)
                return FakeAnswer.Error(400, "Bad Request: BUTTON_DATA_INVALID");
            if (url is not null && !(Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" or "tg"))
                return FakeAnswer.Error(400, "Bad Request: BUTTON_URL_INVALID");
        }

        return null;
    }

    private static JsonObject BotUser() => new()
    {
        ["id"] = BotId,
        ["is_bot"] = true,
        ["first_name"] = "PaperBot Test",
        ["username"] = BotUsername,
        ["can_join_groups"] = true,
        ["can_read_all_group_messages"] = false,
        ["supports_inline_queries"] = false,
    };

    private static JsonObject Message(string chat, int id, BotCall call)
    {
        var message = new JsonObject
        {
            ["message_id"] = id,
            ["from"] = BotUser(),
            ["chat"] = Chat(chat),
            ["date"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["text"] = FakeHtml.Parse(call.Text).Plain,
        };
        if (Json(call.Parameters["reply_markup"]) is JsonObject markup)
            message["reply_markup"] = markup.DeepClone();
        return message;
    }

    private static JsonObject Chat(string chat)
    {
        if (chat.StartsWith('@'))
            return new JsonObject { ["id"] = -1009000000001L, ["type"] = "channel", ["title"] = chat[1..], ["username"] = chat[1..] };
        var id = long.Parse(chat, CultureInfo.InvariantCulture);
        return id > 0 ? new JsonObject { ["id"] = id, ["type"] = "private", ["first_name"] = "Reader" }
            : chat.StartsWith("-100", StringComparison.Ordinal) ? new JsonObject { ["id"] = id, ["type"] = "supergroup", ["title"] = "Readers" }
            : new JsonObject { ["id"] = id, ["type"] = "group", ["title"] = "Readers" };
    }

    private static FakeAnswer Ok(JsonNode? result, string? description = null)
    {
        var body = new JsonObject { ["ok"] = true, ["result"] = result };
        if (description is not null)
            body["description"] = description;
        return new FakeAnswer(200, body.ToJsonString());
    }

    /// <summary>Telegram.Bot sends JSON; form and query parameters are accepted too, their values JSON where they look it.</summary>
    private static async Task<JsonObject> ReadParametersAsync(HttpRequest request)
    {
        var parameters = new JsonObject();
        foreach (var (key, value) in request.Query)
            parameters[key] = value.ToString();
        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync();
            foreach (var (key, value) in form)
                parameters[key] = value.ToString();
        }
        else if (request.ContentLength is not 0)
        {
            using var reader = new StreamReader(request.Body, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            if (body.Length > 0 && JsonNode.Parse(body) is JsonObject json)
            {
                foreach (var (key, value) in json.ToList())
                {
                    json.Remove(key);
                    parameters[key] = value;
                }
            }
        }

        return parameters;
    }

    /// <summary>A parameter that is an object in a JSON body, or the same object as a string in a form.</summary>
    public static JsonNode? Json(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<string>(out var text) && text.TrimStart() is ['{' or '[', ..] ? JsonNode.Parse(text) : node;

    private static async Task WriteAsync(HttpContext http, FakeAnswer answer)
    {
        http.Response.StatusCode = answer.Status;
        http.Response.ContentType = "application/json";
        await http.Response.WriteAsync(answer.Body);
    }

    private void Pulse()
    {
        var old = changed;
        changed = NewSignal();
        old.TrySetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}

public enum FaultKind
{
    None,
    /// <summary>The connection is reset before the call is executed.</summary>
    Reset,
    /// <summary>A proxy in front of the Bot API answers 502: not executed.</summary>
    BadGateway,
    /// <summary>The call is executed (the message is in the chat) and the connection drops before the answer.</summary>
    LostAnswer,
}

public sealed record Fault(FaultKind Kind, TimeSpan Latency);

/// <summary>
/// How often sendMessage misbehaves, drawn from a seeded random source so a run can be repeated, and how many of each
/// were injected (a test compares what the bot did with what it met).
/// </summary>
public sealed class FaultPlan(double lostAnswers, double badGateways, double resets, TimeSpan latency, TimeSpan jitter, int seed = 7)
{
    private readonly Lock gate = new();
    private readonly Random random = new(seed);
    private readonly Dictionary<FaultKind, int> injected = [];

    public int Injected(FaultKind kind)
    {
        lock (gate)
            return injected.GetValueOrDefault(kind);
    }

    public Fault Next()
    {
        lock (gate)
        {
            var draw = random.NextDouble();
            var kind = draw < lostAnswers ? FaultKind.LostAnswer
                : draw < lostAnswers + badGateways ? FaultKind.BadGateway
                : draw < lostAnswers + badGateways + resets ? FaultKind.Reset
                : FaultKind.None;
            injected[kind] = injected.GetValueOrDefault(kind) + 1;
            var delay = latency + jitter * (2 * random.NextDouble() - 1);
            return new Fault(kind, delay < TimeSpan.Zero ? TimeSpan.Zero : delay);
        }
    }
}

/// <summary>A status and body the fake answers with; the failures are Telegram's own bodies.</summary>
public sealed record FakeAnswer(int Status, string Body, bool Drop = false)
{
    public static FakeAnswer Error(int code, string description, JsonObject? parameters = null)
    {
        var body = new JsonObject { ["ok"] = false, ["error_code"] = code, ["description"] = description };
        if (parameters is not null)
            body["parameters"] = parameters;
        return new FakeAnswer(code, body.ToJsonString());
    }

    public static readonly FakeAnswer Blocked = Error(403, "Forbidden: bot was blocked by the user");

    public static FakeAnswer TooManyRequests(int retryAfter) =>
        Error(429, $"Too Many Requests: retry after {retryAfter}", new JsonObject { ["retry_after"] = retryAfter });

    public static FakeAnswer Migrated(long newChatId) =>
        Error(400, "Bad Request: group chat was upgraded to a supergroup chat", new JsonObject { ["migrate_to_chat_id"] = newChatId });

    public static readonly FakeAnswer ChatNotFound = Error(400, "Bad Request: chat not found");

    public static readonly FakeAnswer ServerError = Error(500, "Internal Server Error");

    public static readonly FakeAnswer BadGateway = new(502, "<html><body><h1>502 Bad Gateway</h1></body></html>");

    /// <summary>The connection is closed without an answer.</summary>
    public static readonly FakeAnswer Dropped = new(0, "", Drop: true);
}
