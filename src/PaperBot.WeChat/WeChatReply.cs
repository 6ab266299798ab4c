// Passive replies (被动回复用户消息) are the HTTP response to a push and must come within 5 seconds.
// A reply that says nothing is the literal "success" (or an empty body), never encrypted.
// Limits: text Content at most 2048 bytes; a news reply carries 1 article when answering a user's
// text, image, voice, video, news or location message, and at most 8 in other cases.
using System.Globalization;
using System.Text;
using System.Xml;

namespace PaperBot.WeChat;

public static class WeChatReply
{
    public const string Success = "success";

    public const int MaxTextBytes = 2048;

    public const int MaxNewsArticles = 8;

    /// <summary>
    /// A text reply. <paramref name="toUserName"/> is the user's OpenID (the push's FromUserName),
    /// <paramref name="fromUserName"/> our original ID (the push's ToUserName); <paramref name="content"/>
    /// holds at most <see cref="MaxTextBytes"/> UTF-8 bytes (see <see cref="WeChatText.TruncateUtf8"/>).
    /// </summary>
    public static string Text(string toUserName, string fromUserName, DateTimeOffset createTime, string content)
    {
        ArgumentNullException.ThrowIfNull(content);
        var contentBytes = Encoding.UTF8.GetByteCount(content);
        if (contentBytes > MaxTextBytes)
        {
            throw new ArgumentOutOfRangeException(
                nameof(content),
                contentBytes,
                string.Create(CultureInfo.InvariantCulture, $"A passive text reply carries at most {MaxTextBytes} UTF-8 bytes."));
        }

        return WeChatXml.Write(writer =>
        {
            WriteHeader(writer, toUserName, fromUserName, createTime, "text");
            WeChatXml.WriteCData(writer, "Content", content);
        });
    }

    public static string Text(WeChatInboundMessage inReplyTo, DateTimeOffset createTime, string content)
    {
        ArgumentNullException.ThrowIfNull(inReplyTo);
        return Text(inReplyTo.FromUserName, inReplyTo.ToUserName, createTime, content);
    }

    /// <summary>A news reply of 1 to <see cref="MaxNewsArticles"/> articles.</summary>
    public static string News(
        string toUserName, string fromUserName, DateTimeOffset createTime, IReadOnlyList<WeChatNewsArticle> articles)
    {
        ArgumentNullException.ThrowIfNull(articles);
        if (articles.Count is < 1 or > MaxNewsArticles)
        {
            throw new ArgumentOutOfRangeException(
                nameof(articles),
                articles.Count,
                string.Create(CultureInfo.InvariantCulture, $"A news reply carries 1 to {MaxNewsArticles} articles."));
        }

        return WeChatXml.Write(writer =>
        {
            WriteHeader(writer, toUserName, fromUserName, createTime, "news");
            WeChatXml.WriteText(writer, "ArticleCount", articles.Count.ToString(CultureInfo.InvariantCulture));
            writer.WriteStartElement("Articles");
            foreach (var article in articles)
            {
                writer.WriteStartElement("item");
                WeChatXml.WriteCData(writer, "Title", article.Title);
                WeChatXml.WriteCData(writer, "Description", article.Description);
                if (article.PicUrl is not null)
                {
                    WeChatXml.WriteCData(writer, "PicUrl", article.PicUrl);
                }

                WeChatXml.WriteCData(writer, "Url", article.Url);
                writer.WriteEndElement();
            }

            writer.WriteEndElement();
        });
    }

    public static string News(WeChatInboundMessage inReplyTo, DateTimeOffset createTime, IReadOnlyList<WeChatNewsArticle> articles)
    {
        ArgumentNullException.ThrowIfNull(inReplyTo);
        return News(inReplyTo.FromUserName, inReplyTo.ToUserName, createTime, articles);
    }

    private static void WriteHeader(
        XmlWriter writer, string toUserName, string fromUserName, DateTimeOffset createTime, string msgType)
    {
        WeChatXml.WriteCData(writer, "ToUserName", toUserName);
        WeChatXml.WriteCData(writer, "FromUserName", fromUserName);
        WeChatXml.WriteText(writer, "CreateTime", createTime.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        WeChatXml.WriteCData(writer, "MsgType", msgType);
    }
}
