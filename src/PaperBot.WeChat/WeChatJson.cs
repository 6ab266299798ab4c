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

[JsonSourceGenerationOptions(
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters = [typeof(WeChatJsonStringConverter)])]
[JsonSerializable(typeof(AccessTokenResponse))]
[JsonSerializable(typeof(MassSendResponse))]
[JsonSerializable(typeof(CustomTextRequest))]
[JsonSerializable(typeof(CustomNewsRequest))]
[JsonSerializable(typeof(MassSendTextRequest))]
[JsonSerializable(typeof(MenuCreateRequest))]
internal sealed partial class WeChatJsonContext : JsonSerializerContext;
