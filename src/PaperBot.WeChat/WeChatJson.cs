// Request and response bodies of the API calls we make. Field names are Tencent's.
using System.Text.Json.Serialization;

namespace PaperBot.WeChat;

internal sealed record AccessTokenResponse(
    [property: JsonPropertyName("access_token")] string? AccessToken,
    [property: JsonPropertyName("expires_in")] int ExpiresIn);

internal sealed record MassSendResponse(
    [property: JsonPropertyName("msg_id")] long MsgId,
    [property: JsonPropertyName("msg_data_id")] long? MsgDataId);

internal sealed record TextBody([property: JsonPropertyName("content")] string Content);

internal sealed record CustomTextRequest(
    [property: JsonPropertyName("touser"), JsonPropertyOrder(1)] string ToUser,
    [property: JsonPropertyName("text"), JsonPropertyOrder(3)] TextBody Text,
    [property: JsonPropertyName("msgtype"), JsonPropertyOrder(2)] string MsgType = "text");

internal sealed record NewsArticleBody(
    [property: JsonPropertyName("title")] string Title,
    [property: JsonPropertyName("description")] string Description,
    [property: JsonPropertyName("url")] string Url,
    [property: JsonPropertyName("picurl")] string? PicUrl);

internal sealed record NewsBody([property: JsonPropertyName("articles")] IReadOnlyList<NewsArticleBody> Articles);

internal sealed record CustomNewsRequest(
    [property: JsonPropertyName("touser"), JsonPropertyOrder(1)] string ToUser,
    [property: JsonPropertyName("news"), JsonPropertyOrder(3)] NewsBody News,
    [property: JsonPropertyName("msgtype"), JsonPropertyOrder(2)] string MsgType = "news");

internal sealed record MassSendTextRequest(
    [property: JsonPropertyName("touser"), JsonPropertyOrder(1)] IReadOnlyList<string> ToUser,
    [property: JsonPropertyName("text"), JsonPropertyOrder(3)] TextBody Text,
    [property: JsonPropertyName("clientmsgid"), JsonPropertyOrder(4), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ClientMsgId,
    [property: JsonPropertyName("msgtype"), JsonPropertyOrder(2)] string MsgType = "text");

internal sealed record MenuButtonBody(
    [property: JsonPropertyName("type")] string? Type,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("key")] string? Key,
    [property: JsonPropertyName("url")] string? Url,
    [property: JsonPropertyName("sub_button")] IReadOnlyList<MenuButtonBody>? SubButton);

internal sealed record MenuCreateRequest([property: JsonPropertyName("button")] IReadOnlyList<MenuButtonBody> Button);

internal sealed record DraftArticleBody(
    [property: JsonPropertyName("title")] string Title,
    [property: JsonPropertyName("author")] string Author,
    [property: JsonPropertyName("digest")] string Digest,
    [property: JsonPropertyName("content")] string Content,
    [property: JsonPropertyName("content_source_url")] string ContentSourceUrl,
    [property: JsonPropertyName("thumb_media_id")] string ThumbMediaId,
    [property: JsonPropertyName("need_open_comment")] int NeedOpenComment = 0,
    [property: JsonPropertyName("only_fans_can_comment")] int OnlyFansCanComment = 0);

internal sealed record DraftAddRequest([property: JsonPropertyName("articles")] IReadOnlyList<DraftArticleBody> Articles);

internal sealed record DraftUpdateRequest(
    [property: JsonPropertyName("media_id")] string MediaId,
    [property: JsonPropertyName("index")] int Index,
    [property: JsonPropertyName("articles")] DraftArticleBody Articles);

internal sealed record MediaIdBody([property: JsonPropertyName("media_id")] string MediaId);

internal sealed record MediaIdResponse([property: JsonPropertyName("media_id")] string? MediaId, [property: JsonPropertyName("url")] string? Url);

internal sealed record PublishIdRequest([property: JsonPropertyName("publish_id")] string PublishId);

internal sealed record MassSendFilter([property: JsonPropertyName("is_to_all")] bool IsToAll);

internal sealed record MassSendAllNewsRequest(
    [property: JsonPropertyName("filter"), JsonPropertyOrder(1)] MassSendFilter Filter,
    [property: JsonPropertyName("mpnews"), JsonPropertyOrder(2)] MediaIdBody MpNews,
    [property: JsonPropertyName("clientmsgid"), JsonPropertyOrder(5)] string ClientMsgId,
    [property: JsonPropertyName("msgtype"), JsonPropertyOrder(3)] string MsgType = "mpnews",
    [property: JsonPropertyName("send_ignore_reprint"), JsonPropertyOrder(4)] int SendIgnoreReprint = 1);

[JsonSourceGenerationOptions(
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters = [typeof(WeChatJsonStringConverter)])]
[JsonSerializable(typeof(AccessTokenResponse))]
[JsonSerializable(typeof(MassSendResponse))]
[JsonSerializable(typeof(CustomTextRequest))]
[JsonSerializable(typeof(CustomNewsRequest))]
[JsonSerializable(typeof(MassSendTextRequest))]
[JsonSerializable(typeof(MenuCreateRequest))]
[JsonSerializable(typeof(DraftAddRequest))]
[JsonSerializable(typeof(DraftUpdateRequest))]
[JsonSerializable(typeof(MediaIdBody))]
[JsonSerializable(typeof(MediaIdResponse))]
[JsonSerializable(typeof(PublishIdRequest))]
[JsonSerializable(typeof(MassSendAllNewsRequest))]
internal sealed partial class WeChatJsonContext : JsonSerializerContext;
