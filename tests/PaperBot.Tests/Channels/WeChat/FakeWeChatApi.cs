using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

using PaperBot.WeChat;

namespace PaperBot.Tests.Channels.WeChat;

/// <summary>A multipart file as the fake received it (field <c>media</c>).</summary>
public sealed record FakeUpload(string FileName, string ContentType, byte[] Content);

public sealed record FakeCall(string Path, IReadOnlyDictionary<string, string> Query, string Body)
{
    /// <summary>The <c>media</c> file of a multipart upload (material/add_material, media/uploadimg).</summary>
    public FakeUpload? Upload { get; init; }

    /// <summary>What the fake answered.</summary>
    public string Response { get; init; } = "";

    public bool WasAccepted => !Response.Contains("\"errcode\":", StringComparison.Ordinal) || Response.Contains("\"errcode\":0,", StringComparison.Ordinal);

    public string? AccessToken => Query.GetValueOrDefault("access_token");

    public JsonElement Json => JsonDocument.Parse(Body).RootElement;

    /// <summary>touser of a customer-service message.</summary>
    public string? ToUser => Json.TryGetProperty("touser", out var to) && to.ValueKind == JsonValueKind.String ? to.GetString() : null;

    public string? TextContent => Json.TryGetProperty("text", out var text) ? text.GetProperty("content").GetString() : null;
}

/// <summary>
/// api.weixin.qq.com on 127.0.0.1, as far as the bot uses it: /cgi-bin/token checks the AppID and AppSecret and
/// issues tokens valid for 7200 s; every other call checks its access_token (40001 for one it never issued, 42001
/// for one expired with <see cref="ExpireTokens"/>); custom/send, mass/send and menu/create answer as documented.
/// The article's calls keep state and the documented rules (see <see cref="FakeArticles"/>). Error bodies are
/// Tencent's, as reported verbatim on developers.weixin.qq.com.
/// </summary>
public sealed class FakeWeChatApi : IAsyncDisposable
{
    public const string Token = "/cgi-bin/token";
    public const string CustomSend = "/cgi-bin/message/custom/send";
    public const string MassSend = "/cgi-bin/message/mass/send";
    public const string MenuCreate = "/cgi-bin/menu/create";
    public const string AddMaterial = "/cgi-bin/material/add_material";
    public const string UploadImage = "/cgi-bin/media/uploadimg";
    public const string DraftAdd = "/cgi-bin/draft/add";
    public const string DraftUpdate = "/cgi-bin/draft/update";
    public const string PublishSubmit = "/cgi-bin/freepublish/submit";
    public const string PublishGet = "/cgi-bin/freepublish/get";
    public const string MassSendAll = "/cgi-bin/message/mass/sendall";
    public const string DailyQuota = """{"errcode":45009,"errmsg":"reach max api daily quota limit rid: 6571c1f2-3b2a4e8d-5c7f9a2c"}""";
    public const string InvalidMediaId = """{"errcode":40007,"errmsg":"invalid media_id hint: [hJfDkA01544357] rid: 65d56251-31349bbf-5f45a190"}""";

    public const string OutOfTimeLimit = """{"errcode":45015,"errmsg":"response out of time limit or subscription is canceled rid: 5f3ded7d-22929d02-4ba1f5f6"}""";
    public const string RequireSubscribe = """{"errcode":43004,"errmsg":"require subscribe rid: 6041e1a3-0c0a2b2e-2b7a3c5d"}""";
    public const string ApiUnauthorized = """{"errcode":48001,"errmsg":"api unauthorized rid: 60d1c5f2-3b1a4e8d-5c7f9a2b"}""";

    private readonly WebApplication app;
    private readonly string appId;
    private readonly string appSecret;
    private readonly ConcurrentDictionary<string, bool> issued = new();
    private int tokenNumber;
    private long massSendNumber = 1_000_000_000;
    private readonly Dictionary<string, long> massSendClientMsgIds = [];

    private FakeWeChatApi(WebApplication app, string appId, string appSecret)
    {
        this.app = app;
        this.appId = appId;
        this.appSecret = appSecret;
    }

    public Uri BaseUrl { get; private set; } = null!;

    public ConcurrentQueue<FakeCall> Calls { get; } = new();

    /// <summary>Every access token issued so far, to look for it where it must not be.</summary>
    public IReadOnlyCollection<string> IssuedTokens => issued.Keys.ToList();

    /// <summary>Answers a call (after the token check) instead of the default; null falls through to the default.</summary>
    public Func<FakeCall, string?> Respond { get; set; } = _ => null;

    public TimeSpan TokenDelay { get; set; } = TimeSpan.Zero;

    /// <summary>How long a call takes before the fake carries it out (a slow platform); none by default.</summary>
    public Func<FakeCall, TimeSpan> Delay { get; set; } = _ => TimeSpan.Zero;

    /// <summary>The drafts, images, publishing jobs and mass sends the article's calls made.</summary>
    public FakeArticles Articles { get; } = new();

    /// <summary>Calls that are carried out but whose answer is lost: the connection drops before it is written.</summary>
    public Func<FakeCall, bool> DropAnswer { get; set; } = _ => false;

    public static async Task<FakeWeChatApi> StartAsync(string appId, string appSecret)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var api = new FakeWeChatApi(app, appId, appSecret);
        app.Run(api.HandleAsync);
        await app.StartAsync();
        api.BaseUrl = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
        return api;
    }

    public IReadOnlyList<FakeCall> CallsTo(string path) => Calls.Where(c => c.Path == path).ToList();

    /// <summary>Calls to <paramref name="path"/> that WeChat accepted (errcode 0).</summary>
    public IReadOnlyList<FakeCall> Accepted(string path) => CallsTo(path).Where(c => c.WasAccepted).ToList();

    /// <summary>Every token issued so far stops working, as when it expires or another server fetched a new one.</summary>
    public void ExpireTokens()
    {
        foreach (var token in issued.Keys)
            issued[token] = false;
    }

    public async Task<IReadOnlyList<FakeCall>> WaitForCallsAsync(string path, int count, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (CallsTo(path).Count < count && DateTime.UtcNow < deadline)
            await Task.Delay(20);
        return CallsTo(path);
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        FakeCall call;
        FakeUpload? upload = null;
        var query = context.Request.Query.ToDictionary(pair => pair.Key, pair => pair.Value.ToString());
        if (context.Request.HasFormContentType)
        {
            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            if (form.Files.GetFile("media") is { } file)
            {
                using var bytes = new MemoryStream();
                await file.CopyToAsync(bytes, context.RequestAborted);
                upload = new FakeUpload(file.FileName, file.ContentType, bytes.ToArray());
            }

            call = new FakeCall(context.Request.Path.Value ?? "", query, "") { Upload = upload };
        }
        else
        {
            using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
            call = new FakeCall(context.Request.Path.Value ?? "", query, await reader.ReadToEndAsync(context.RequestAborted));
        }

        var delay = Delay(call);
        if (delay > TimeSpan.Zero)
            await Task.Delay(delay);
        var body = call.Path == Token ? await IssueTokenAsync(call) : Answer(call);
        Calls.Enqueue(call with { Response = body });
        if (DropAnswer(call))
        {
            context.Abort();
            return;
        }

        context.Response.ContentType = "application/json; encoding=utf-8";
        await context.Response.WriteAsync(body, context.RequestAborted);
    }

    private async Task<string> IssueTokenAsync(FakeCall call)
    {
        if (TokenDelay > TimeSpan.Zero)
            await Task.Delay(TokenDelay);
        if (call.Query.GetValueOrDefault("appid") != appId)
            return """{"errcode":40013,"errmsg":"invalid appid rid: 64f0a1b2-3c4d5e6f-7a8b9c0d"}""";
        if (call.Query.GetValueOrDefault("secret") != appSecret)
            return """{"errcode":40125,"errmsg":"invalid appsecret, view more at http://t.cn/RAEkdVq rid: 64f0a1b2-3c4d5e6f-7a8b9c0e"}""";
        var token = string.Create(CultureInfo.InvariantCulture, $"ACCESS_{Interlocked.Increment(ref tokenNumber)}_{Guid.NewGuid():N}");
        issued[token] = true;
        return $$"""{"access_token":"{{token}}","expires_in":7200}""";
    }

    private string Answer(FakeCall call)
    {
        if (call.AccessToken is not { } token || !issued.TryGetValue(token, out var valid))
            return """{"errcode":40001,"errmsg":"invalid credential, access_token is invalid or not latest rid: 65f1a2b3-4c5d6e7f-1a2b3c4d"}""";
        if (!valid)
            return """{"errcode":42001,"errmsg":"access_token expired rid: 62a0b3c4-5d6e7f80-91a2b3c4"}""";
        if (Respond(call) is { } answer)
            return answer;
        if (call.Path == CustomSend && call.TextContent is { } text && Encoding.UTF8.GetByteCount(text) > WeChatReply.MaxTextBytes)
            return """{"errcode":45002,"errmsg":"content size out of limit rid: 6571c1f2-3b2a4e8d-5c7f9a2d"}""";
        if (Articles.Answer(call) is { } article)
            return article;
        return call.Path == MassSend ? MassSendAnswer(call) : """{"errcode":0,"errmsg":"ok"}""";
    }

    /// <summary>A job for the list, or, for a clientmsgid used before (Tencent keeps them 24 hours), 45065 with the earlier job's msg_id.</summary>
    private string MassSendAnswer(FakeCall call)
    {
        var clientMsgId = call.Json.TryGetProperty("clientmsgid", out var id) ? id.GetString() : null;
        lock (massSendClientMsgIds)
        {
            if (clientMsgId is not null && massSendClientMsgIds.TryGetValue(clientMsgId, out var earlier))
                return string.Create(CultureInfo.InvariantCulture, $$"""{"errcode":45065,"errmsg":"clientmsgid exist rid: 65d56251-31349bbf-5f45a191","msg_id":{{earlier}}}""");
            var msgId = Interlocked.Increment(ref massSendNumber);
            if (clientMsgId is not null)
                massSendClientMsgIds[clientMsgId] = msgId;
            return string.Create(CultureInfo.InvariantCulture, $$"""{"errcode":0,"errmsg":"send job submission success","msg_id":{{msgId}},"msg_data_id":206227730}""");
        }
    }
}
