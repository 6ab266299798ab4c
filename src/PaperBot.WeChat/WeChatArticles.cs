// 草稿箱 (draft/add, draft/update), 发布能力 (freepublish/submit, freepublish/get) and the article's images
// (material/add_material for the cover, media/uploadimg for images inside it). Limits are those of the current
// documentation at developers.weixin.qq.com (新增草稿): title at most 32 characters, author 16, digest 128, content
// under 20,000 characters and 1 MB with images only from media/uploadimg, content_source_url at most 1 KB.
namespace PaperBot.WeChat;

/// <summary>One news article (图文) of a draft. <see cref="ThumbMediaId"/> is a permanent image (material/add_material).</summary>
public sealed record WeChatDraftArticle(
    string Title,
    string Author,
    string Digest,
    string Content,
    string ContentSourceUrl,
    string ThumbMediaId)
{
    public const int MaxTitleLength = 32;
    public const int MaxAuthorLength = 16;
    public const int MaxDigestLength = 128;
    public const int MaxContentLength = 20_000;
    public const int MaxContentBytes = 1024 * 1024;
    public const int MaxSourceUrlBytes = 1024;
}

/// <summary>A permanent image: its media_id (a draft's cover) and its address on Tencent's image host.</summary>
public sealed record WeChatImage(string MediaId, string Url);

/// <summary>An image to upload: the file's bytes, name and type (image/png, image/jpeg).</summary>
public sealed record WeChatUpload(byte[] Content, string FileName, string ContentType)
{
    /// <summary>material/add_material type=image: 10 MB, bmp/png/jpeg/jpg/gif.</summary>
    public const int MaxMaterialImageBytes = 10 * 1024 * 1024;

    /// <summary>media/uploadimg: under 1 MB, jpg/png only.</summary>
    public const int MaxArticleImageBytes = 1024 * 1024;
}

/// <summary>publish_status of freepublish/get and of the PUBLISHJOBFINISH event.</summary>
public enum WeChatPublishStatus
{
    Succeeded = 0,
    Publishing = 1,
    OriginalityCheckFailed = 2,
    Failed = 3,
    RejectedByReview = 4,
    DeletedByUser = 5,
    BannedBySystem = 6,
}

/// <summary>A publishing job's state; <see cref="ArticleUrls"/> are the permanent links once it succeeded.</summary>
public sealed record WeChatPublishJob(
    string PublishId, WeChatPublishStatus Status, string? ArticleId, IReadOnlyList<string> ArticleUrls, IReadOnlyList<int> FailedIndexes)
{
    public bool IsFinished => Status != WeChatPublishStatus.Publishing;

    /// <summary>What a status other than success means, in words.</summary>
    public static string Describe(WeChatPublishStatus status) => status switch
    {
        WeChatPublishStatus.Succeeded => "published",
        WeChatPublishStatus.Publishing => "publishing",
        WeChatPublishStatus.OriginalityCheckFailed => "the originality declaration failed (原创失败)",
        WeChatPublishStatus.Failed => "publishing failed (常规失败)",
        WeChatPublishStatus.RejectedByReview => "the platform's review rejected it (平台审核不通过)",
        WeChatPublishStatus.DeletedByUser => "the article was deleted after publishing",
        WeChatPublishStatus.BannedBySystem => "the platform blocked the article after publishing",
        _ => $"publish_status {(int)status}",
    };
}

/// <summary>
/// A mass send to every follower (message/mass/sendall). <see cref="AlreadySent"/>: the clientmsgid was used within
/// 24 hours (errcode 45065), so this call sent nothing and <see cref="MsgId"/> is the earlier send's.
/// </summary>
public sealed record WeChatMassSendAll(long MsgId, long? MsgDataId, bool AlreadySent);
