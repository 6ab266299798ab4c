using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PaperBot.Core.Issues;
using PaperBot.Core.Publishing;
using PaperBot.Core.Sending;
using PaperBot.Core.Subscribers;
using PaperBot.WeChat;
using PaperBot.TestServices;

namespace PaperBot.Tests.Channels.WeChat;

public enum Encryption
{
    Plain,
    Compatible,
    Safe,
}

/// <summary>A parsed passive reply: text, or news with one article.</summary>
public sealed record ReplyXml(string Xml)
{
    private XElement Root => XElement.Parse(Xml);

    public string MsgType => (string)Root.Element("MsgType")!;

    public string ToUserName => (string)Root.Element("ToUserName")!;

    public string Content => (string?)Root.Element("Content") ?? "";

    public XElement Article => Root.Element("Articles")!.Elements("item").Single();

    public string ArticleTitle => (string)Article.Element("Title")!;

    public string ArticleDescription => (string)Article.Element("Description")!;

    public string ArticleUrl => (string)Article.Element("Url")!;
}

/// <summary>
/// The bot with WeChat switched on, in front of a fake WeChat API, and a client that calls /wechat the way
/// WeChat's servers do: signed query, and in compatible and safe mode an encrypted body.
/// </summary>
public sealed class WeChatHost : IAsyncDisposable
{
    public const string Token = "PaperBotToken2024";
    public const string AppId = "wx2c2769f8efd9abc2";
    public const string AppSecret = "AppSecret7f3a9c1e5b2d8f4a6c0e9b3d";
    public const string EncodingAesKey = "kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR";
    public const string Account = "gh_10f6c3c3ac5a";
    public const string PublicUrl = "https://papers.example.org";

    private static long nextMsgId = 6_200_000_000_000_000_000;
    private static long nextCreateTime = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    private readonly bool ownsApi;

    private WeChatHost(PaperBotApp app, FakeWeChatApi api, LogCapture logs, Encryption mode, bool ownsApi = true)
    {
        this.ownsApi = ownsApi;
        App = app;
        Api = api;
        Logs = logs;
        Mode = mode;
        Client = app.CreateClient();
    }

    /// <summary>How WeChat talks to this account: safe mode once an EncodingAESKey is configured (the default here), plain without.</summary>
    public Encryption Mode { get; }

    public PaperBotApp App { get; }

    public FakeWeChatApi Api { get; }

    public LogCapture Logs { get; }

    public HttpClient Client { get; }

    public WeChatMessageCrypto Crypto { get; } = new(Token, EncodingAesKey, AppId);

    /// <summary>A host for plain mode: no EncodingAESKey.</summary>
    public static Task<WeChatHost> StartPlainAsync(IDictionary<string, string?>? settings = null)
    {
        var all = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>()) { ["WeChat:EncodingAesKey"] = "" };
        return StartAsync(all);
    }

    /// <summary>A host for <paramref name="mode"/>: plain mode has no EncodingAESKey, compatible and safe mode have one.</summary>
    public static Task<WeChatHost> StartForAsync(Encryption mode) => mode == Encryption.Plain ? StartPlainAsync() : StartAsync();

    /// <param name="settings">Added to, or replacing, the WeChat settings; an empty value switches a setting off.</param>
    /// <param name="respond">How the fake API answers from the start (see <see cref="FakeWeChatApi.Respond"/>).</param>
    /// <param name="api">The fake API this host talks to, the test's to dispose (a host started again in front of the same WeChat); a new one when null.</param>
    public static async Task<WeChatHost> StartAsync(IDictionary<string, string?>? settings = null, Func<FakeCall, string?>? respond = null, FakeWeChatApi? api = null)
    {
        var ownsApi = api is null;
        api ??= await FakeWeChatApi.StartAsync(AppId, AppSecret);
        if (respond is not null)
            api.Respond = respond;
        var all = new Dictionary<string, string?>
        {
            ["WeChat:Token"] = Token,
            ["WeChat:AppId"] = AppId,
            ["WeChat:AppSecret"] = AppSecret,
            ["WeChat:EncodingAesKey"] = EncodingAesKey,
            ["WeChat:ApiBaseUrl"] = api.BaseUrl.ToString(),
            ["Web:PublicUrl"] = PublicUrl,
            ["Logging:LogLevel:Default"] = "Information",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            all[key] = value;

        var logs = new LogCapture();
        var app = new PaperBotApp(all).WithServices(services => services.AddSingleton<ILoggerProvider>(logs));
        return new WeChatHost(app, api, logs, all["WeChat:EncodingAesKey"] is { Length: > 0 } ? Encryption.Safe : Encryption.Plain, ownsApi);
    }

    public static long NextMsgId() => Interlocked.Increment(ref nextMsgId);

    /// <summary>Events are told apart by sender and CreateTime, so each gets its own second.</summary>
    public static long NextCreateTime() => Interlocked.Increment(ref nextCreateTime);

    /// <summary>
    /// 事件推送群发结果 (MASSSENDJOBFINISH), as in Tencent's documentation: a mass send's report, with the article's
    /// address when it was a news send to all followers.
    /// </summary>
    public static string MassSendJobFinishedXml(long msgId, string status, int total, int sent, int errors, string? articleUrl = null) => $"""
        <xml>
          <ToUserName><![CDATA[{Account}]]></ToUserName>
          <FromUserName><![CDATA[oV5CrjpxgaGXNHIQigzNlgLTnwic]]></FromUserName>
          <CreateTime>{NextCreateTime()}</CreateTime>
          <MsgType><![CDATA[event]]></MsgType>
          <Event><![CDATA[MASSSENDJOBFINISH]]></Event>
          <MsgID>{msgId}</MsgID>
          <Status><![CDATA[{status}]]></Status>
          <TotalCount>{total}</TotalCount>
          <FilterCount>{total}</FilterCount>
          <SentCount>{sent}</SentCount>
          <ErrorCount>{errors}</ErrorCount>
          <CopyrightCheckResult><Count>0</Count><ResultList></ResultList><CheckState>1</CheckState></CopyrightCheckResult>
          {(articleUrl is null ? "" : $"<ArticleUrlResult><Count>1</Count><ResultList><item><ArticleIdx>1</ArticleIdx><ArticleUrl><![CDATA[{articleUrl}]]></ArticleUrl></item></ResultList></ArticleUrlResult>")}
        </xml>
        """;

    public static string TextXml(string openId, string content, long? msgId = null) => $"""
        <xml>
          <ToUserName><![CDATA[{Account}]]></ToUserName>
          <FromUserName><![CDATA[{openId}]]></FromUserName>
          <CreateTime>{NextCreateTime()}</CreateTime>
          <MsgType><![CDATA[text]]></MsgType>
          <Content><![CDATA[{content}]]></Content>
          <MsgId>{msgId ?? NextMsgId()}</MsgId>
        </xml>
        """;

    public static string EventXml(string openId, string @event, string? eventKey = null, long? createTime = null) => $"""
        <xml>
          <ToUserName><![CDATA[{Account}]]></ToUserName>
          <FromUserName><![CDATA[{openId}]]></FromUserName>
          <CreateTime>{createTime ?? NextCreateTime()}</CreateTime>
          <MsgType><![CDATA[event]]></MsgType>
          <Event><![CDATA[{@event}]]></Event>
        """ + (eventKey is null ? "" : $"\n  <EventKey><![CDATA[{eventKey}]]></EventKey>") + "\n</xml>";

    public static string Timestamp(DateTimeOffset? at = null) =>
        (at ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

    public static string Nonce() => Random.Shared.Next(100_000_000, int.MaxValue).ToString(CultureInfo.InvariantCulture);

    /// <summary>The query WeChat puts on a push: signature over Token, timestamp and nonce, plus the safe-mode parameters.</summary>
    public static string Query(string timestamp, string nonce, string openId, string? encrypt = null, string? signature = null) =>
        $"?signature={signature ?? WeChatSignature.ComputeUrlSignature(Token, timestamp, nonce)}&timestamp={timestamp}&nonce={nonce}&openid={openId}"
        + (encrypt is null ? "" : $"&encrypt_type=aes&msg_signature={WeChatSignature.ComputeMessageSignature(Token, timestamp, nonce, encrypt)}");

    /// <summary>POSTs <paramref name="xml"/> to /wechat as WeChat would in <paramref name="mode"/> (the account's <see cref="Mode"/> unless given).</summary>
    public Task<HttpResponseMessage> PostAsync(string xml, Encryption? mode = null, string? timestamp = null, WeChatMessageCrypto? crypto = null, string? nonce = null)
    {
        timestamp ??= Timestamp();
        nonce ??= Nonce();
        // Read with a pattern, not a parser: the XXE tests send bodies no XML parser here should open.
        var openId = Regex.Match(xml, @"<FromUserName><!\[CDATA\[(.*?)\]\]>").Groups[1].Value;
        if ((mode ?? Mode) == Encryption.Plain)
            return PostRawAsync("/wechat" + Query(timestamp, nonce, openId), xml);

        var encrypt = (crypto ?? Crypto).Encrypt(xml);
        var body = mode == Encryption.Safe
            ? $"<xml><ToUserName><![CDATA[{Account}]]></ToUserName><Encrypt><![CDATA[{encrypt}]]></Encrypt></xml>"
            : xml.Replace("</xml>", $"  <Encrypt><![CDATA[{encrypt}]]></Encrypt>\n</xml>", StringComparison.Ordinal);
        return PostRawAsync("/wechat" + Query(timestamp, nonce, openId, encrypt), body);
    }

    public Task<HttpResponseMessage> PostRawAsync(string pathAndQuery, string body) =>
        Client.PostAsync(pathAndQuery, new StringContent(body, Encoding.UTF8, "text/xml"));

    /// <summary>Sends a push and returns WeChat's view of the answer: "success", or the reply XML, decrypted and its signature checked.</summary>
    public async Task<string> SendAsync(string xml, Encryption? mode = null)
    {
        var response = await PostAsync(xml, mode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {body}");
        return (mode ?? Mode) == Encryption.Plain || body == "success" ? body : Decrypt(body);
    }

    public async Task<ReplyXml> SayAsync(string openId, string text, Encryption? mode = null)
    {
        var body = await SendAsync(TextXml(openId, text), mode);
        Assert.NotEqual("success", body);
        return new ReplyXml(body);
    }

    public async Task<ReplyXml> FollowAsync(string openId, string? scene = null)
    {
        var body = await SendAsync(EventXml(openId, "subscribe", scene is null ? null : $"qrscene_{scene}"));
        return new ReplyXml(body);
    }

    /// <summary>Opens a safe-mode reply the way WeChat does: check MsgSignature over Encrypt, then decrypt.</summary>
    public string Decrypt(string envelope)
    {
        var root = XElement.Parse(envelope);
        var encrypt = (string)root.Element("Encrypt")!;
        var signature = WeChatSignature.ComputeMessageSignature(Token, (string)root.Element("TimeStamp")!, (string)root.Element("Nonce")!, encrypt);
        Assert.Equal(signature, (string)root.Element("MsgSignature")!);
        return Crypto.Decrypt(encrypt);
    }

    public Task<Subscriber?> SubscriberAsync(string openId) =>
        App.QueryAsync(db => db.Subscribers.AsNoTracking().FirstOrDefaultAsync(s => s.Channel == Channel.WeChat && s.ChatId == openId));

    public Task<int> ReceiptCountAsync() => App.CountAsync<PaperBot.Core.Data.InboundReceipt>();

    /// <summary>Imports next week's digest (the sample with another first title) and publishes it to every subscriber.</summary>
    public async Task<int> PublishNextIssueAsync(string firstTitle = "超越 RNN")
    {
        var digest = (await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "samples", "digest-sample.txt")))
            .Replace("超越 Transformer", firstTitle, StringComparison.Ordinal);
        await using var scope = App.Services.CreateAsyncScope();
        var imported = await scope.ServiceProvider.GetRequiredService<IssueImporter>().ImportAsync(digest, null, "test", CancellationToken.None);
        var issueId = Assert.IsType<ImportOutcome.Imported>(imported).IssueId;
        var published = await scope.ServiceProvider.GetRequiredService<IssuePublisher>().PublishAsync(issueId, "test", CancellationToken.None);
        Assert.IsType<PublishOutcome.Published>(published);
        return issueId;
    }

    /// <summary>Queues an announcement to every subscriber, as /broadcast and its /send do.</summary>
    public async Task<int> BroadcastAsync(string text)
    {
        await using var scope = App.Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<Broadcaster>().QueueAsync(text, "test", CancellationToken.None)).Id;
    }

    public Task<DeliveryStatus?> PushDeliveryStatusAsync(string openId, int pushId) =>
        App.QueryAsync(db => db.Deliveries.Where(d => d.PushId == pushId && db.Subscribers.Any(s => s.Id == d.SubscriberId && s.ChatId == openId))
            .Select(d => (DeliveryStatus?)d.Status)
            .FirstOrDefaultAsync());

    public Task<DeliveryStatus?> DeliveryStatusAsync(string openId, int issueId) =>
        App.QueryAsync(db => db.DeliveriesOfIssue(issueId).To(db, openId)
            .Select(d => (DeliveryStatus?)d.Status)
            .FirstOrDefaultAsync());

    public async Task<bool> DeliveryBecomesAsync(string openId, int issueId, DeliveryStatus status) =>
        await Eventually.HoldsAsync(async () => await DeliveryStatusAsync(openId, issueId) == status);

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.DisposeAsync();
        if (ownsApi)
            await Api.DisposeAsync();
    }
}
