namespace PaperBot.Core.Issues;

/// <summary>
/// Where an issue's WeChat article (图文) stands on the platform: the uploaded cover, the draft, the publishing job
/// and the mass send, each as the platform's own ids. One row per issue, written as each step is taken, so a retry
/// after a crash or a timeout continues instead of starting again: the draft is updated rather than added twice, and
/// the mass send repeats its <see cref="ClientMsgId"/>, which the platform refuses to send twice.
/// </summary>
public sealed class IssueArticle
{
    public int IssueId { get; set; }

    /// <summary>The cover as a permanent image (material/add_material), the draft's thumb_media_id.</summary>
    public string? CoverMediaId { get; set; }

    /// <summary>The same cover inside the article (media/uploadimg).</summary>
    public string? CoverImageUrl { get; set; }

    /// <summary>What the uploaded cover shows; another value means the cover must be uploaded again.</summary>
    public string? CoverFingerprint { get; set; }

    /// <summary>The draft's media_id (draft/add); gone from the draft box once published or mass-sent.</summary>
    public string? DraftMediaId { get; set; }

    public DateTimeOffset? DraftSavedAt { get; set; }

    /// <summary>The publishing job (freepublish/submit), for accounts that publish without a mass send.</summary>
    public string? PublishId { get; set; }

    /// <summary>
    /// Set before freepublish/submit, which has no de-duplication key: while <see cref="PublishId"/> is null the answer
    /// was lost, and a retry submits the same draft again, which WeChat refuses (40007) once the first one took it.
    /// </summary>
    public DateTimeOffset? PublishSubmittedAt { get; set; }

    /// <summary>
    /// WeChat's publish_status when its publishing job ended without publishing the article (2 原创失败, 3 常规失败,
    /// 4 平台审核不通过, …): the push does not submit it again, only an admin's publish does; cleared by the next submit.
    /// </summary>
    public int? PublishRefusedStatus { get; set; }

    /// <summary>The mass send's de-duplication key: derived from the issue, sent with every attempt.</summary>
    public string? ClientMsgId { get; set; }

    /// <summary>Set before the first mass-send call: from then on every attempt is a retry of the same send.</summary>
    public DateTimeOffset? MassSendStartedAt { get; set; }

    public long? MassSendMsgId { get; set; }

    /// <summary>The account may not mass-send (errcode 48001 at message/mass/sendall): the article is published instead.</summary>
    public bool MassSendRefused { get; set; }

    /// <summary>WeChat's report on the mass send (MASSSENDJOBFINISH): its status and counts.</summary>
    public string? MassSendStatus { get; set; }

    public int? TotalCount { get; set; }
    public int? FilterCount { get; set; }
    public int? SentCount { get; set; }
    public int? ErrorCount { get; set; }

    /// <summary>When the article went out: published, or mass-sent.</summary>
    public DateTimeOffset? PublishedAt { get; set; }

    /// <summary>The last failure, in words an admin can act on; cleared by the next step that succeeds.</summary>
    public string? LastError { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}
