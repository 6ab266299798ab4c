using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;
using PaperBot.Tests.Admin;
using PaperBot.Tests.Channels.Telegram;
using PaperBot.Tests.Channels.WeChat;
using PaperBot.WeChat;

namespace PaperBot.Tests.Security;

/// <summary>
/// Hostile bodies against every endpoint that reads one — /wechat (safe mode, signed URLs, signed garbage, encrypted
/// garbage), /telegram/webhook (with and without the secret), /api/chat and the admin forms — over real sockets to the
/// program as its own process: sizes, encodings, invalid UTF-8, XML and JSON bombs, wrong content types, huge and
/// duplicate headers, and malformed chunked bodies written straight to the socket. Deterministic (a fixed seed). The
/// program must answer every one below 500 with no stack trace, stay alive, and leave the database as it was.
/// </summary>
[Collection(RunsAlone.Name)]
public sealed class FuzzTests
{
    private const int Seed = 20_261_204;
    private const int PerEndpoint = 2_600;
    private const string Secret = "fuzz-Secret_0123456789";

    [Fact]
    public async Task TenThousandHostileBodiesGetNo5xxNoStackTraceAndChangeNothing()
    {
        await using var api = await FakeBotApi.StartAsync();
        await using var host = HostProcess.Start(new Dictionary<string, string>
        {
            ["Admin__Password"] = AdminSession.Password,
            ["WeChat__Token"] = WeChatHost.Token,
            ["WeChat__AppId"] = WeChatHost.AppId,
            ["WeChat__EncodingAesKey"] = WeChatHost.EncodingAesKey,
            ["Admins__WeChat__0"] = "oFuzzAdmin",
            ["Telegram__BotToken"] = FakeBotApi.Token,
            ["Telegram__ApiBaseUrl"] = api.BaseUrl.ToString(),
            ["Telegram__WebhookUrl"] = "https://bot.example.com/telegram/webhook",
            ["Telegram__WebhookSecret"] = Secret,
            ["Web__ConsoleMessagesPerMinute"] = "1000000",
            ["Logging__LogLevel__Default"] = "Error",
        });
        Assert.True(await host.WaitForHealthyAsync(TimeSpan.FromSeconds(30)), host.Output + host.Error);
        await api.WaitForAsync(calls => calls.Any(c => c.Method == "setWebhook"), "the webhook to be set");
        using var browser = new RawBrowser(host.Address);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.LogInAsync(AdminSession.Password)).StatusCode);
        var session = browser.Cookie("paperbot_admin")!;
        var database = Path.Combine(host.WorkingDirectory, "data", "paperbot.db");
        var before = await SnapshotAsync(database);

        var random = new Random(Seed);
        var requests = new List<Func<HttpClient, Task<HttpResponseMessage>>>();
        for (var i = 0; i < PerEndpoint; i++)
        {
            requests.Add(WeChat(random));
            requests.Add(Telegram(random));
            requests.Add(Console(random));
            requests.Add(AdminForm(random, session));
        }

        var statuses = new ConcurrentDictionary<int, int>();
        var traces = new ConcurrentBag<string>();
        using var client = new HttpClient(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = host.Address, Timeout = TimeSpan.FromSeconds(30) };
        await Parallel.ForEachAsync(requests, new ParallelOptions { MaxDegreeOfParallelism = 6 }, async (send, cancellationToken) =>
        {
            using var response = await send(client);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            statuses.AddOrUpdate((int)response.StatusCode, 1, (_, n) => n + 1);
            if (LooksLikeAStackTrace(body))
                traces.Add(body.Length > 300 ? body[..300] : body);
        });
        foreach (var raw in RawRequests(random, host.Address))
        {
            var status = await SendRawAsync(host.Address, raw);
            statuses.AddOrUpdate(status.Code, 1, (_, n) => n + 1);
            if (LooksLikeAStackTrace(status.Text))
                traces.Add(status.Text);
        }

        var summary = string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}×{s.Value}"));
        Assert.True(statuses.Values.Sum() >= 10_000, summary);
        Assert.True(statuses.Keys.All(code => code < 500), summary);
        Assert.Empty(traces);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);
        var failed = host.Output.IndexOf("fail:", StringComparison.Ordinal);
        Assert.True(failed < 0, failed < 0 ? "" : host.Output.Substring(failed, Math.Min(1_500, host.Output.Length - failed)));
        Assert.Equal(before, await SnapshotAsync(database));
    }

    private static bool LooksLikeAStackTrace(string body) =>
        body.Contains("Exception", StringComparison.Ordinal) || body.Contains("   at ", StringComparison.Ordinal) || body.Contains("System.", StringComparison.Ordinal);

    /// <summary>/wechat with a signed URL: plaintext bodies (refused in safe mode), signed garbage, and properly encrypted hostile XML.</summary>
    private static Func<HttpClient, Task<HttpResponseMessage>> WeChat(Random random)
    {
        var timestamp = WeChatHost.Timestamp();
        var nonce = random.Next(100_000_000, int.MaxValue).ToString(CultureInfo.InvariantCulture);
        var query = "/wechat" + WeChatHost.Query(timestamp, nonce, "oFuzzAdmin");
        var kind = random.Next(4);
        byte[] body;
        if (kind == 0)
        {
            body = HostileXml(random);
        }
        else
        {
            var crypto = new WeChatMessageCrypto(WeChatHost.Token, WeChatHost.EncodingAesKey, WeChatHost.AppId);
            var encrypt = kind switch
            {
                1 => crypto.Encrypt(Encoding.UTF8.GetString(HostileXml(random))),
                2 => Convert.ToBase64String(Bytes(random, random.Next(0, 600))),
                _ => new string('A', random.Next(0, 200)) + "!*%",
            };
            query = "/wechat" + WeChatHost.Query(timestamp, nonce, "oFuzzAdmin", encrypt);
            body = random.Next(3) == 0
                ? HostileXml(random)
                : Encoding.UTF8.GetBytes($"<xml><ToUserName><![CDATA[{WeChatHost.Account}]]></ToUserName><Encrypt><![CDATA[{encrypt}]]></Encrypt></xml>");
        }

        return Post(query, body, ContentType(random, "text/xml"), random);
    }

    private static Func<HttpClient, Task<HttpResponseMessage>> Telegram(Random random)
    {
        var body = HostileJson(random);
        var headers = new List<(string, string)>();
        switch (random.Next(5))
        {
            case 0:
                break;
            case 1:
                headers.Add(("X-Telegram-Bot-Api-Secret-Token", Secret + "x"));
                break;
            case 2:
                headers.Add(("X-Telegram-Bot-Api-Secret-Token", Secret));
                headers.Add(("X-Telegram-Bot-Api-Secret-Token", Secret));
                break;
            default:
                headers.Add(("X-Telegram-Bot-Api-Secret-Token", Secret));
                break;
        }

        return Post("/telegram/webhook", body, ContentType(random, "application/json"), random, headers);
    }

    private static Func<HttpClient, Task<HttpResponseMessage>> Console(Random random) =>
        Post("/api/chat", HostileJson(random), ContentType(random, "application/json"), random, [("Origin", "https://evil.example")]);

    private static Func<HttpClient, Task<HttpResponseMessage>> AdminForm(Random random, string session)
    {
        string[] forms = ["/admin/login", "/admin/issues?handler=Import", "/admin/broadcast?handler=Send", "/admin/logout", "/admin/logout?handler=Everywhere", "/admin/issues/1?handler=Publish", "/admin/issues/1?handler=Schedule"];
        var url = forms[random.Next(forms.Length)];
        var headers = new List<(string, string)>();
        if (random.Next(2) == 0)
            headers.Add(("Cookie", $"paperbot_admin={session}; paperbot_antiforgery=forged{random.Next()}"));
        var token = random.Next(3) switch
        {
            0 => "",
            1 => "CfDJ8" + Convert.ToBase64String(Bytes(random, 80)),
            _ => new string('%', random.Next(1, 50)),
        };
        byte[] body = random.Next(4) switch
        {
            0 => Encoding.UTF8.GetBytes($"__RequestVerificationToken={token}&password={Uri.EscapeDataString(Text(random))}&text={Uri.EscapeDataString(Text(random))}"),
            1 => MultipartBody(random, token),
            2 => Bytes(random, random.Next(0, 5_000)),
            _ => Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, random.Next(1, 3_000)).Select(i => $"k{i % 7}=v&"))),
        };
        return Post(url, body, ContentType(random, "application/x-www-form-urlencoded"), random, headers);
    }

    private static byte[] MultipartBody(Random random, string token)
    {
        var boundary = random.Next(3) == 0 ? "" : "fuzz";
        var text = $"--{boundary}\r\nContent-Disposition: form-data; name=\"__RequestVerificationToken\"\r\n\r\n{token}\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"../../etc/passwd\"\r\nContent-Type: text/plain\r\n\r\n{Text(random)}";
        return Encoding.UTF8.GetBytes(random.Next(2) == 0 ? text : text + $"\r\n--{boundary}--\r\n");
    }

    private static string ContentType(Random random, string right) => random.Next(8) switch
    {
        0 => "text/plain",
        1 => "application/x-www-form-urlencoded",
        2 => "multipart/form-data; boundary=",
        3 => "application/json; charset=utf-16",
        4 => $"{right}; charset=\"\"\"",
        _ => right,
    };

    /// <summary>XML no parser here may open: DTDs and entity bombs, deep nesting, truncation, duplicates, invalid UTF-8, a message without its type.</summary>
    private static byte[] HostileXml(Random random)
    {
        string text = random.Next(10) switch
        {
            0 => "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\"><!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\"><!ENTITY lol4 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">]><xml><Content>&lol4;</Content></xml>",
            1 => "<!DOCTYPE xml [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]><xml><ToUserName>a</ToUserName><Content>&xxe;</Content></xml>",
            2 => string.Concat(Enumerable.Repeat("<a>", random.Next(100, 20_000))) + "x",
            3 => "<xml><ToUserName>a</ToUserName><ToUserName>b</ToUserName><FromUserName>oFuzzAdmin</FromUserName></xml>",
            4 => "<xml><FromUserName><![CDATA[oFuzzAdmin]]></FromUserName><CreateTime>99999999999999999999</CreateTime><Content>广播 x</Content></xml>",
            5 => "<xml><ToUserName>a</ToUserName><FromUserName>oFuzzAdmin</FromUserName><CreateTime>1</CreateTime><MsgType>text</MsgType>",
            6 => "<notxml>" + new string('论', random.Next(0, 30_000)) + "</notxml>",
            7 => "<xml attr=\"" + new string('"', random.Next(1, 100)) + "\"/>",
            8 => "",
            _ => "<xml><![CDATA[" + Text(random) + "]]]]><![CDATA[>",
        };
        var bytes = Encoding.UTF8.GetBytes(text);
        return random.Next(4) == 0 ? [.. bytes, 0xC3, 0x28, 0xFF, 0xFE, 0x00] : bytes;
    }

    /// <summary>JSON that is never a usable update or message: deep nesting, truncation, wrong types, duplicates, huge, invalid UTF-8, UTF-16.</summary>
    private static byte[] HostileJson(Random random)
    {
        var depth = random.Next(65, 5_000);
        string text = random.Next(11) switch
        {
            0 => new string('[', depth) + new string(']', depth),
            1 => string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth),
            2 => "{\"update_id\": \"one\", \"message\": {\"text\": \"/start\"}}",
            3 => "{\"update_id\": -7, \"message\": {\"chat\": {\"id\": \"x\"}}}",
            4 => "{\"text\": 5, \"data\": [1,2]}",
            5 => "{\"text\": \"" + new string('x', random.Next(16_000, 40_000)) + "\"}",
            6 => "{\"text\": \"\\uD800\", \"data\": \"\\u0000\"",
            7 => "{\"update_id\": 1e999999, \"text\": 1e999999}",
            8 => "[" + string.Join(',', Enumerable.Repeat("{}", random.Next(1, 10_000))) + "]",
            9 => "",
            _ => Text(random),
        };
        var bytes = random.Next(5) == 0 ? Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes(text)).ToArray() : Encoding.UTF8.GetBytes(text);
        return random.Next(4) == 0 ? [0xEF, 0xBB, 0xBF, .. bytes, 0xED, 0xA0, 0x80, 0xC0, 0xAF] : bytes;
    }

    private static string Text(Random random)
    {
        var alphabet = "ab论文<>&\"'{}[]:\\/%\u0000\u202E\uFFFD 🙂";
        return new string(Enumerable.Range(0, random.Next(0, 200)).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray());
    }

    private static byte[] Bytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    /// <summary>A POST with <paramref name="body"/>, sometimes with a huge header, a duplicated Content-Type or a chunked body instead of a length.</summary>
    private static Func<HttpClient, Task<HttpResponseMessage>> Post(string url, byte[] body, string contentType, Random random, IEnumerable<(string Name, string Value)>? headers = null)
    {
        var trick = random.Next(12);
        var huge = new string('h', random.Next(1_000, 40_000));
        var all = (headers ?? []).ToList();
        return client =>
        {
            var request = new HttpRequestMessage(HttpMethod.Post, url);
            HttpContent content = trick == 0 ? new StreamContent(new MemoryStream(body)) : new ByteArrayContent(body);
            content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            if (trick == 1)
                content.Headers.TryAddWithoutValidation("Content-Type", "text/html");
            request.Content = content;
            if (trick == 2)
                request.Headers.TryAddWithoutValidation("X-Padding", huge);
            if (trick == 3)
                request.Headers.TryAddWithoutValidation("X-Forwarded-For", "not-an-address, 999.1.1.1, ::ffff:");
            if (trick == 4)
                request.Headers.TryAddWithoutValidation("X-Forwarded-Proto", "gopher");
            foreach (var (name, value) in all)
                request.Headers.TryAddWithoutValidation(name, value);
            return client.SendAsync(request);
        };
    }

    /// <summary>Requests no HTTP client library would send: broken chunked encodings, two lengths, a length that lies.</summary>
    private static IEnumerable<byte[]> RawRequests(Random random, Uri address)
    {
        string[] paths = ["/wechat?signature=x&timestamp=1&nonce=1", "/telegram/webhook", "/api/chat", "/admin/login"];
        string[] shapes =
        [
            "Transfer-Encoding: chunked\r\n\r\nZZZ\r\nabc\r\n0\r\n\r\n",
            "Transfer-Encoding: chunked\r\n\r\nFFFFFFFFFFFFFFFF\r\nabc\r\n0\r\n\r\n",
            "Transfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n3\r\nabc\r\n0\r\n\r\n",
            "Transfer-Encoding: gzip, chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n",
            "Content-Length: 3\r\nContent-Length: 4\r\n\r\nabcd",
            "Content-Length: -1\r\n\r\n",
            "Content-Length: 5\r\n\r\nab",
            "Transfer-Encoding: chunked\r\n\r\n3;ext=\"x\r\nabc\r\n0\r\nTrailer: y\r\n\r\n",
            "Content-Length: 2\r\nX-Bad\u0001Header: 1\r\n\r\n{}",
            "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n" + string.Concat(Enumerable.Repeat("1\r\n[\r\n", 100)) + "0\r\n\r\n",
        ];
        for (var i = 0; i < 120; i++)
        {
            var head = $"POST {paths[random.Next(paths.Length)]} HTTP/1.1\r\nHost: {address.Authority}\r\nConnection: close\r\n";
            yield return Encoding.Latin1.GetBytes(head + shapes[i % shapes.Length]);
        }
    }

    /// <summary>
    /// Writes <paramref name="request"/> to a socket and reads the answer's status. Kestrel answers a malformed request
    /// 400 and closes at once, unread bytes and all, so the close can arrive as a reset, sometimes before the answer:
    /// such a request counts as <see cref="Reset"/> (no answer, and so no 5xx either).
    /// </summary>
    private static async Task<(int Code, string Text)> SendRawAsync(Uri address, byte[] request)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(address.Host, address.Port);
        var stream = tcp.GetStream();
        var received = new MemoryStream();
        try
        {
            await stream.WriteAsync(request);
            tcp.Client.Shutdown(SocketShutdown.Send);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await stream.CopyToAsync(received, timeout.Token);
        }
        catch (IOException)
        {
        }

        var text = Encoding.Latin1.GetString(received.ToArray());
        var parts = text.Split(' ', 3);
        return text.StartsWith("HTTP/1.1 ", StringComparison.Ordinal) && int.TryParse(parts[1], out var code) ? (code, text) : (Reset, text);
    }

    private const int Reset = 0;

    /// <summary>Every table's rows (but those of <paramref name="except"/>), sorted, hashed: equal before and after means nothing was written.</summary>
    internal static async Task<string> SnapshotAsync(string database, params string[] except)
    {
        await using var connection = new SqliteConnection($"Data Source={database};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = connection.CreateCommand())
        {
            list.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name";
            await using var names = await list.ExecuteReaderAsync();
            while (await names.ReadAsync())
            {
                if (!except.Contains(names.GetString(0)))
                    tables.Add(names.GetString(0));
            }
        }

        var summary = new StringBuilder();
        foreach (var table in tables)
        {
            var rows = new List<string>();
            await using var select = connection.CreateCommand();
            select.CommandText = $"SELECT * FROM \"{table}\"";
            await using var reader = await select.ExecuteReaderAsync();
            while (await reader.ReadAsync())
                rows.Add(string.Join('\u001F', Enumerable.Range(0, reader.FieldCount).Select(i => Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture))));
            rows.Sort(StringComparer.Ordinal);
            var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\u001E', rows))));
            summary.Append(CultureInfo.InvariantCulture, $"{table}: {rows.Count} rows {hash[..16]}\n");
        }

        return summary.ToString();
    }
}
