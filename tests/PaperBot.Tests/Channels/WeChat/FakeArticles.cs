using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace PaperBot.Tests.Channels.WeChat;

/// <summary>A draft in the fake's draft box, as WeChat would keep it (scripts removed, outside images dropped).</summary>
public sealed record FakeDraft(string MediaId, string Title, string Author, string Digest, string Content, string ContentSourceUrl, string ThumbMediaId);

/// <summary>
/// The article's side of the fake API, with the rules of Tencent's documentation: 素材管理 (add_material type=image:
/// bmp/png/jpeg/gif up to 10 MB; uploadimg: jpg/png under 1 MB), 草稿箱 (title at most 32 characters, author 16, digest
/// 128, content fewer than 20,000 characters and under 1 MB, thumb_media_id a permanent image), 发布能力 (a draft
/// leaves the draft box once published or mass-sent; freepublish/get answers "publishing" for a while, then the URL)
/// and 群发 (sendall takes a draft's media_id; a clientmsgid used before is refused with 45065 and the earlier msg_id).
/// </summary>
public sealed partial class FakeArticles
{
    private readonly ConcurrentDictionary<string, byte[]> materials = new();
    private readonly ConcurrentDictionary<string, FakeDraft> drafts = new();
    private readonly ConcurrentDictionary<string, int> jobs = new();
    private readonly ConcurrentDictionary<string, long> clientMsgIds = new();
    private readonly Lock gate = new();
    private int next;
    private long nextMsgId = 3_147_483_000;

    /// <summary>How many times freepublish/get answers "publishing" (1) before the job succeeds.</summary>
    public int PublishingPolls { get; set; } = 1;

    /// <summary>
    /// The publish_status a job ends with instead of success (2 原创失败, 3 常规失败, 4 平台审核不通过); the draft
    /// it took stays out of the draft box, as on the platform.
    /// </summary>
    public int? PublishFailsWith { get; set; }

    public IReadOnlyCollection<FakeDraft> Drafts => drafts.Values.ToList();

    /// <summary>Mass sends carried out (a refused repeat is not one).</summary>
    public int MassSendsExecuted { get; private set; }

    /// <summary>An editor deletes the draft on the platform's website.</summary>
    public void DeleteDraft(string mediaId) => drafts.TryRemove(mediaId, out _);

    public static string ArticleUrl(string publishId) => $"https://mp.weixin.qq.com/s/published-{publishId}";

    public string? Answer(FakeCall call)
    {
        lock (gate)
        {
            return call.Path switch
            {
                FakeWeChatApi.AddMaterial => AddMaterial(call),
                FakeWeChatApi.UploadImage => UploadImage(call),
                FakeWeChatApi.DraftAdd => SaveDraft(call, update: false),
                FakeWeChatApi.DraftUpdate => SaveDraft(call, update: true),
                FakeWeChatApi.PublishSubmit => Submit(call),
                FakeWeChatApi.PublishGet => Poll(call),
                FakeWeChatApi.MassSendAll => SendAll(call),
                _ => null,
            };
        }
    }

    private string AddMaterial(FakeCall call)
    {
        if (call.Query.GetValueOrDefault("type") is not "image" and not "thumb" and not "voice" and not "video")
            return """{"errcode":40004,"errmsg":"invalid media type rid: 6571c1f2-1a2b3c4d-5e6f7a8b"}""";
        if (call.Upload is not { } upload)
            return """{"errcode":41005,"errmsg":"media data missing rid: 6571c1f2-1a2b3c4d-5e6f7a8c"}""";
        if (upload.Content.Length > 10 * 1024 * 1024)
            return """{"errcode":40009,"errmsg":"invalid image size rid: 6571c1f2-1a2b3c4d-5e6f7a8d"}""";
        if (Kind(upload.Content) is not ("png" or "jpeg" or "gif" or "bmp"))
            return """{"errcode":40005,"errmsg":"invalid file type rid: 6571c1f2-1a2b3c4d-5e6f7a8e"}""";
        var id = $"MATERIAL_{Interlocked.Increment(ref next)}_6XvVazVT3F4qsVQ";
        materials[id] = upload.Content;
        return $$"""{"media_id":"{{id}}","url":"http://mmbiz.qpic.cn/mmbiz_png/{{id}}/0?wx_fmt=png","item":[]}""";
    }

    private string UploadImage(FakeCall call)
    {
        if (call.Upload is not { } upload)
            return """{"errcode":41005,"errmsg":"media data missing rid: 6571c1f2-1a2b3c4d-5e6f7a8f"}""";
        if (Kind(upload.Content) is not ("png" or "jpeg"))
            return """{"errcode":40005,"errmsg":"invalid file type rid: 6571c1f2-1a2b3c4d-5e6f7a90"}""";
        if (upload.Content.Length >= 1024 * 1024)
            return """{"errcode":40009,"errmsg":"invalid image size rid: 6571c1f2-1a2b3c4d-5e6f7a91"}""";
        return $$"""{"url":"http://mmbiz.qpic.cn/mmbiz_png/IMG{{Interlocked.Increment(ref next)}}/0","errcode":0,"errmsg":"ok"}""";
    }

    private string SaveDraft(FakeCall call, bool update)
    {
        var root = JsonNode.Parse(call.Body)!.AsObject();
        string? existing = null;
        JsonObject? article;
        if (update)
        {
            existing = (string?)root["media_id"];
            if (existing is null || !drafts.ContainsKey(existing) || (int?)root["index"] != 0)
                return FakeWeChatApi.InvalidMediaId;
            article = root["articles"] as JsonObject;
        }
        else
        {
            article = (root["articles"] as JsonArray)?.FirstOrDefault() as JsonObject;
        }

        if (article is null)
            return """{"errcode":44003,"errmsg":"empty news data rid: 6571c1f2-1a2b3c4d-5e6f7a92"}""";
        var title = (string?)article["title"] ?? "";
        var author = (string?)article["author"] ?? "";
        var digest = (string?)article["digest"] ?? "";
        var content = (string?)article["content"] ?? "";
        var thumb = (string?)article["thumb_media_id"];
        if (title.Length == 0 || title.Length > 32)
            return """{"errcode":45003,"errmsg":"title size out of limit rid: 6571c1f2-1a2b3c4d-5e6f7a93"}""";
        if (author.Length > 16)
            return """{"errcode":45110,"errmsg":"author size out of limit rid: 6571c1f2-1a2b3c4d-5e6f7a94"}""";
        if (digest.Length > 128)
            return """{"errcode":45004,"errmsg":"description size out of limit rid: 6571c1f2-1a2b3c4d-5e6f7a95"}""";
        if (content.Length == 0)
            return """{"errcode":44003,"errmsg":"empty news data rid: 6571c1f2-1a2b3c4d-5e6f7a96"}""";
        if (content.Length >= 20_000 || Encoding.UTF8.GetByteCount(content) >= 1024 * 1024)
            return """{"errcode":45002,"errmsg":"content size out of limit rid: 6571c1f2-1a2b3c4d-5e6f7a97"}""";
        if (thumb is null || !materials.ContainsKey(thumb))
            return FakeWeChatApi.InvalidMediaId;

        // What WeChat does to content: scripts removed, images from outside its image host dropped.
        content = Script().Replace(content, "");
        content = OutsideImage().Replace(content, "");
        var id = existing ?? $"DRAFT_{Interlocked.Increment(ref next)}_W3LbAkFlGjJ3fGGam";
        drafts[id] = new FakeDraft(id, title, author, digest, content, (string?)article["content_source_url"] ?? "", thumb);
        return update ? """{"errcode":0,"errmsg":"ok"}""" : $$"""{"media_id":"{{id}}","item":[]}""";
    }

    private string Submit(FakeCall call)
    {
        var mediaId = (string?)JsonNode.Parse(call.Body)!["media_id"];
        if (mediaId is null || !drafts.TryRemove(mediaId, out _))
            return FakeWeChatApi.InvalidMediaId;
        var publishId = (2_247_503_000 + Interlocked.Increment(ref next)).ToString(CultureInfo.InvariantCulture);
        jobs[publishId] = PublishingPolls;
        return $$"""{"errcode":0,"errmsg":"ok","publish_id":"{{publishId}}","msg_data_id":2247503052}""";
    }

    private string Poll(FakeCall call)
    {
        var publishId = (string?)JsonNode.Parse(call.Body)!["publish_id"] ?? "";
        if (!jobs.TryGetValue(publishId, out var remaining))
            return """{"errcode":40007,"errmsg":"invalid publish_id rid: 6571c1f2-1a2b3c4d-5e6f7a98"}""";
        if (remaining > 0)
        {
            jobs[publishId] = remaining - 1;
            return $$"""{"publish_id":"{{publishId}}","publish_status":1}""";
        }

        if (PublishFailsWith is { } status)
            return string.Create(CultureInfo.InvariantCulture, $$"""{"publish_id":"{{publishId}}","publish_status":{{status}},"fail_idx":[1]}""");

        return $$"""{"publish_id":"{{publishId}}","publish_status":0,"article_id":"b5O2OUs25HBxRceL7hfReg-{{publishId}}","article_detail":{"count":1,"item":[{"idx":1,"article_url":"{{ArticleUrl(publishId)}}"}]},"fail_idx":[]}""";
    }

    private string SendAll(FakeCall call)
    {
        var root = JsonNode.Parse(call.Body)!;
        if (root["filter"]?["is_to_all"]?.GetValueKind() != JsonValueKind.True && root["filter"]?["tag_id"] is null)
            return """{"errcode":40130,"errmsg":"invalid openid list size, at least two openid rid: 6571c1f2-1a2b3c4d-5e6f7a99"}""";
        if ((string?)root["msgtype"] != "mpnews")
            return """{"errcode":40008,"errmsg":"invalid message type rid: 6571c1f2-1a2b3c4d-5e6f7a9a"}""";
        var clientMsgId = (string?)root["clientmsgid"];
        if (clientMsgId is not null && Encoding.UTF8.GetByteCount(clientMsgId) > 64)
            return """{"errcode":45067,"errmsg":"clientmsgid size out of limit rid: 64ffdf3b-25c2606d-7d6d6392"}""";
        if (clientMsgId is not null && clientMsgIds.TryGetValue(clientMsgId, out var earlier))
            return string.Create(CultureInfo.InvariantCulture, $$"""{"errcode":45065,"errmsg":"clientmsgid exist","msg_id":{{earlier}}}""");
        var mediaId = (string?)root["mpnews"]?["media_id"];
        if (mediaId is null || !drafts.TryRemove(mediaId, out _))
            return FakeWeChatApi.InvalidMediaId;
        var msgId = Interlocked.Increment(ref nextMsgId);
        if (clientMsgId is not null)
            clientMsgIds[clientMsgId] = msgId;
        MassSendsExecuted++;
        return string.Create(CultureInfo.InvariantCulture, $$"""{"errcode":0,"errmsg":"send job submission success","msg_id":{{msgId}},"msg_data_id":2455891298}""");
    }

    private static string Kind(byte[] bytes) => bytes switch
    {
        [0x89, 0x50, 0x4E, 0x47, ..] => "png",
        [0xFF, 0xD8, ..] => "jpeg",
        [0x47, 0x49, 0x46, ..] => "gif",
        [0x42, 0x4D, ..] => "bmp",
        _ => "other",
    };

    [GeneratedRegex("<script[^>]*>.*?</script>", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex Script();

    [GeneratedRegex("""<img(?![^>]*src="https?://mmbiz\.qpic\.cn/)[^>]*>""", RegexOptions.IgnoreCase)]
    private static partial Regex OutsideImage();
}
