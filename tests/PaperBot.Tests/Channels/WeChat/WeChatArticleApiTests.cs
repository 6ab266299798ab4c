using Microsoft.Extensions.Logging.Abstractions;
using PaperBot.WeChat;

namespace PaperBot.Tests.Channels.WeChat;

// The library's article calls against the fake API, which keeps WeChat's documented limits: what each refusal looks like.
public sealed class WeChatArticleApiTests : IAsyncLifetime, IDisposable
{
    private static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0];
    private static readonly byte[] Gif = [0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0, 0];

    private FakeWeChatApi api = null!;
    private HttpClient http = null!;
    private WeChatApiClient client = null!;

    public async Task InitializeAsync()
    {
        api = await FakeWeChatApi.StartAsync(WeChatHost.AppId, WeChatHost.AppSecret);
        http = new HttpClient();
        client = new WeChatApiClient(http, new WeChatApiOptions { BaseUrl = api.BaseUrl, AppId = WeChatHost.AppId, AppSecret = WeChatHost.AppSecret },
            new InMemoryAccessTokenStore(), TimeProvider.System, NullLogger<WeChatApiClient>.Instance);
    }

    public async Task DisposeAsync() => await api.DisposeAsync();

    public void Dispose() => http.Dispose();

    [Fact]
    public async Task ADraftIsAddedUpdatedPublishedAndThenGoneFromTheDraftBox()
    {
        var cover = await client.AddImageMaterialAsync(new WeChatUpload(Png, "cover.png", "image/png"));
        var draft = await client.AddDraftAsync(Article(thumb: cover.MediaId));
        await client.UpdateDraftAsync(draft, Article(thumb: cover.MediaId) with { Title = "第2期｜改过的标题" });
        var publishId = await client.SubmitPublishAsync(draft);
        var first = await client.GetPublishJobAsync(publishId);
        var second = await client.GetPublishJobAsync(publishId);
        var again = await Assert.ThrowsAsync<WeChatApiException>(() => client.SubmitPublishAsync(draft));

        Assert.Equal("MATERIAL_1_6XvVazVT3F4qsVQ", cover.MediaId);
        Assert.Equal("http://mmbiz.qpic.cn/mmbiz_png/MATERIAL_1_6XvVazVT3F4qsVQ/0?wx_fmt=png", cover.Url);
        Assert.Equal("第2期｜改过的标题", Assert.Single(api.CallsTo(FakeWeChatApi.DraftUpdate)).Json.GetProperty("articles").GetProperty("title").GetString());
        Assert.Equal(("2247503003", WeChatPublishStatus.Publishing, false), (first.PublishId, first.Status, first.IsFinished));
        Assert.Equal(WeChatPublishStatus.Succeeded, second.Status);
        Assert.Equal(["https://mp.weixin.qq.com/s/published-2247503003"], second.ArticleUrls);
        Assert.Equal(40007, again.ErrorCode);
    }

    [Theory]
    [InlineData("title", 33, 45003)]
    [InlineData("author", 17, 45110)]
    [InlineData("digest", 129, 45004)]
    [InlineData("content", 20_000, 45002)]
    public async Task ADraftOverWeChatsLimitsIsRefusedWithItsErrcode(string field, int length, int errcode)
    {
        var cover = await client.AddImageMaterialAsync(new WeChatUpload(Png, "cover.png", "image/png"));
        var text = new string('字', length);
        var article = field switch
        {
            "title" => Article(cover.MediaId) with { Title = text },
            "author" => Article(cover.MediaId) with { Author = text },
            "digest" => Article(cover.MediaId) with { Digest = text },
            _ => Article(cover.MediaId) with { Content = text },
        };

        var refused = await Assert.ThrowsAsync<WeChatApiException>(() => client.AddDraftAsync(article));

        Assert.Equal(errcode, refused.ErrorCode);
        Assert.Empty(api.Articles.Drafts);
    }

    [Fact]
    public async Task ADraftWithoutAPermanentCoverIsRefusedWith40007()
    {
        var refused = await Assert.ThrowsAsync<WeChatApiException>(() => client.AddDraftAsync(Article(thumb: "")));

        Assert.Equal(40007, refused.ErrorCode);
    }

    [Fact]
    public async Task ImagesInsideAnArticleArePngOrJpegUnder1Mb()
    {
        var url = await client.UploadArticleImageAsync(new WeChatUpload(Png, "a.png", "image/png"));
        var gif = await Assert.ThrowsAsync<WeChatApiException>(() => client.UploadArticleImageAsync(new WeChatUpload(Gif, "a.gif", "image/gif")));
        var big = new byte[1024 * 1024];
        Png.CopyTo(big, 0);
        var large = await Assert.ThrowsAsync<WeChatApiException>(() => client.UploadArticleImageAsync(new WeChatUpload(big, "b.png", "image/png")));
        var cover = await client.AddImageMaterialAsync(new WeChatUpload(Gif, "a.gif", "image/gif"));

        Assert.Equal("http://mmbiz.qpic.cn/mmbiz_png/IMG1/0", url);
        Assert.Equal((40005, 40009), (gif.ErrorCode, large.ErrorCode));
        Assert.StartsWith("MATERIAL_", cover.MediaId, StringComparison.Ordinal);
        var upload = api.CallsTo(FakeWeChatApi.AddMaterial)[0];
        Assert.Equal("image", upload.Query["type"]);
        Assert.Equal(("a.gif", "image/gif"), (upload.Upload!.FileName, upload.Upload.ContentType));
    }

    [Fact]
    public async Task AMassSendToAllRepeatedWithItsClientMsgIdReturnsTheFirstSendAndSendsNothing()
    {
        var cover = await client.AddImageMaterialAsync(new WeChatUpload(Png, "cover.png", "image/png"));
        var draft = await client.AddDraftAsync(Article(cover.MediaId));

        var first = await client.MassSendArticleToAllAsync(draft, "paperbot-issue-2-0123456789abcdef");
        var repeat = await client.MassSendArticleToAllAsync(draft, "paperbot-issue-2-0123456789abcdef");

        Assert.Equal(new WeChatMassSendAll(3_147_483_001, 2_455_891_298, AlreadySent: false), first);
        Assert.Equal(new WeChatMassSendAll(3_147_483_001, null, AlreadySent: true), repeat);
        Assert.Equal(1, api.Articles.MassSendsExecuted);
        Assert.Equal("""{"filter":{"is_to_all":true},"mpnews":{"media_id":"DRAFT_2_W3LbAkFlGjJ3fGGam"},"msgtype":"mpnews","send_ignore_reprint":1,"clientmsgid":"paperbot-issue-2-0123456789abcdef"}""",
            api.CallsTo(FakeWeChatApi.MassSendAll)[0].Body);
    }

    private static WeChatDraftArticle Article(string thumb) =>
        new("第2期｜本周值得关注的大模型", "PaperBot", "本期 14 篇", "<section><p>正文</p></section>", "https://papers.example.org/issues/2", thumb);
}
