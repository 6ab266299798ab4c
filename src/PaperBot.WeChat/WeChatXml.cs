// Inbound bodies arrive from the network, in plain mode before anything authenticates them, so
// they are read with DTDs prohibited, no resolver, a size cap, and only the shape Tencent
// documents: <xml> with one element per field, each field once. Element names are
// case-sensitive, exactly as in 接收普通消息 and 接收事件推送.
using System.Globalization;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using PaperBot.Xml;
using Fields = System.Collections.ObjectModel.ReadOnlyDictionary<string, string>;

namespace PaperBot.WeChat;

public static class WeChatXml
{
    public const int DefaultMaxBytes = 64 * 1024;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static readonly XmlWriterSettings WriterSettings = new()
    {
        OmitXmlDeclaration = true,
        Indent = false,
        NewLineHandling = NewLineHandling.None,
    };

    /// <summary>Reads a request body as UTF-8, refusing it as soon as it exceeds <paramref name="maxBytes"/>.</summary>
    public static async Task<string> ReadBodyAsync(
        Stream body, int maxBytes = DefaultMaxBytes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBytes);

        var buffer = new byte[maxBytes + 1];
        var length = 0;
        int read;
        while ((read = await body.ReadAsync(buffer.AsMemory(length), cancellationToken)) > 0)
        {
            length += read;
            if (length > maxBytes)
            {
                throw TooLarge(maxBytes);
            }
        }

        try
        {
            return StrictUtf8.GetString(buffer, 0, length).TrimStart('\uFEFF');
        }
        catch (DecoderFallbackException e)
        {
            throw new WeChatXmlException(WeChatXmlFailure.Malformed, "wechat: body is not UTF-8", e);
        }
    }

    /// <summary>Maps a plain-text push (or a decrypted safe-mode one) to its message type.</summary>
    public static WeChatInboundMessage ParseMessage(string xml, int maxBytes = DefaultMaxBytes)
    {
        var root = ReadRoot(xml, maxBytes);
        var fields = ReadFields(root);
        var header = new WeChatMessageHeader(
            Required(fields, "ToUserName"),
            Required(fields, "FromUserName"),
            ReadCreateTime(fields),
            Required(fields, "MsgType"));

        return header.MsgType switch
        {
            "text" => new TextMessage(header, ReadMsgId(fields), Required(fields, "Content")),
            "image" => new ImageMessage(header, ReadMsgId(fields), Required(fields, "PicUrl"), Required(fields, "MediaId")),
            "voice" => new VoiceMessage(
                header, ReadMsgId(fields), Required(fields, "MediaId"), Optional(fields, "Format") ?? "",
                Optional(fields, "Recognition")),
            "video" or "shortvideo" => new VideoMessage(
                header, ReadMsgId(fields), Required(fields, "MediaId"), Optional(fields, "ThumbMediaId") ?? ""),
            "location" => new LocationMessage(
                header, ReadMsgId(fields), ReadDouble(fields, "Location_X"), ReadDouble(fields, "Location_Y"),
                ReadInt(fields, "Scale"), Optional(fields, "Label") ?? ""),
            "link" => new LinkMessage(
                header, ReadMsgId(fields), Optional(fields, "Title") ?? "", Optional(fields, "Description") ?? "",
                Required(fields, "Url")),
            "event" => ParseEvent(header, fields, root),
            _ => new UnknownMessage(header, fields.ContainsKey("MsgId") ? ReadMsgId(fields) : null, fields),
        };
    }

    internal static string ReadEncrypt(string xml, int maxBytes) => Required(ReadFields(ReadRoot(xml, maxBytes)), "Encrypt");

    internal static string Write(Action<XmlWriter> writeFields)
    {
        var builder = new StringBuilder();
        using (var writer = XmlWriter.Create(builder, WriterSettings))
        {
            writer.WriteStartElement("xml");
            writeFields(writer);
            writer.WriteEndElement();
        }

        return builder.ToString();
    }

    /// <remarks>
    /// XmlWriter splits a value containing <c>]]&gt;</c> across two CDATA sections; characters XML
    /// cannot carry at all (most C0 controls, lone surrogates) are dropped rather than failing the reply.
    /// </remarks>
    internal static void WriteCData(XmlWriter writer, string name, string value)
    {
        writer.WriteStartElement(name);
        writer.WriteCData(XmlChars.WithoutIllegal(value));
        writer.WriteEndElement();
    }

    internal static void WriteText(XmlWriter writer, string name, string value) =>
        writer.WriteElementString(name, XmlChars.WithoutIllegal(value));

    private static WeChatEvent ParseEvent(WeChatMessageHeader header, Fields fields, XElement root)
    {
        var name = Required(fields, "Event");
        return name switch
        {
            "MASSSENDJOBFINISH" => new MassSendJobFinishEvent(
                header,
                ReadLong(fields, "MsgID"),
                Optional(fields, "Status") ?? "",
                CountOrNull(fields, "TotalCount"),
                CountOrNull(fields, "FilterCount"),
                CountOrNull(fields, "SentCount"),
                CountOrNull(fields, "ErrorCount"),
                root.Element("ArticleUrlResult")?.Element("ResultList")?.Elements("item")
                    .Select(item => item.Element("ArticleUrl")?.Value.Trim())
                    .OfType<string>()
                    .Where(url => url.Length > 0)
                    .ToList() ?? []),
            "PUBLISHJOBFINISH" => ParsePublishJobFinish(header, root),
            "subscribe" => new SubscribeEvent(header, NonEmpty(fields, "EventKey"), NonEmpty(fields, "Ticket")),
            "unsubscribe" => new UnsubscribeEvent(header),
            "SCAN" => new ScanEvent(header, Required(fields, "EventKey"), NonEmpty(fields, "Ticket")),
            "CLICK" => new ClickEvent(header, Required(fields, "EventKey")),
            "VIEW" => new ViewEvent(header, Required(fields, "EventKey"), NonEmpty(fields, "MenuId")),
            _ => new UnknownEvent(header, name, fields),
        };
    }

    /// <summary>发布结果的事件推送: the job's fields are nested in PublishEventInfo.</summary>
    private static PublishJobFinishEvent ParsePublishJobFinish(WeChatMessageHeader header, XElement root)
    {
        var info = root.Element("PublishEventInfo")
            ?? throw new WeChatXmlException(WeChatXmlFailure.MissingElement, "wechat: element <PublishEventInfo> is missing");
        string Field(string name) => info.Element(name)?.Value.Trim()
            ?? throw new WeChatXmlException(WeChatXmlFailure.MissingElement, $"wechat: element <{name}> is missing");
        var status = int.TryParse(Field("publish_status"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var code)
            ? code
            : throw NotANumber("publish_status");
        var urls = info.Element("article_detail")?.Elements("item")
            .Select(item => item.Element("article_url")?.Value.Trim())
            .OfType<string>()
            .Where(url => url.Length > 0)
            .ToList() ?? [];
        // fail_idx is a list: repeated elements, or items inside one.
        var failed = info.Elements("fail_idx")
            .SelectMany(e => e.HasElements ? e.Elements() : [e])
            .Select(e => int.TryParse(e.Value.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var index) ? index : (int?)null)
            .OfType<int>()
            .ToList();
        var articleId = info.Element("article_id")?.Value.Trim();
        return new PublishJobFinishEvent(
            header,
            new WeChatPublishJob(Field("publish_id"), (WeChatPublishStatus)status, articleId is { Length: > 0 } ? articleId : null, urls, failed));
    }

    private static int? CountOrNull(Fields fields, string name) =>
        fields.ContainsKey(name) ? ReadInt(fields, name) : null;

    private static XElement ReadRoot(string xml, int maxBytes)
    {
        ArgumentNullException.ThrowIfNull(xml);
        if (Encoding.UTF8.GetByteCount(xml) > maxBytes)
        {
            throw TooLarge(maxBytes);
        }

        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            MaxCharactersInDocument = maxBytes,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
            IgnoreWhitespace = true,
        };

        XElement root;
        try
        {
            using var reader = XmlReader.Create(new StringReader(xml), settings);
            root = XElement.Load(reader);
        }
        catch (XmlException e)
        {
            // The parser already refused the document; this only names the reason for the caller.
            if (xml.Contains("<!DOCTYPE", StringComparison.Ordinal))
            {
                throw new WeChatXmlException(WeChatXmlFailure.DtdProhibited, "wechat: body contains a DTD, which is refused", e);
            }

            throw new WeChatXmlException(WeChatXmlFailure.Malformed, "wechat: body is not well-formed XML", e);
        }

        if (root.Name.LocalName != "xml")
        {
            throw new WeChatXmlException(WeChatXmlFailure.Malformed, "wechat: root element is not <xml>");
        }

        return root;
    }

    private static Fields ReadFields(XElement root)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var element in root.Elements())
        {
            if (!fields.TryAdd(element.Name.LocalName, element.Value))
            {
                throw new WeChatXmlException(
                    WeChatXmlFailure.Malformed, $"wechat: element <{element.Name.LocalName}> appears more than once");
            }
        }

        return fields.AsReadOnly();
    }

    private static string Required(Fields fields, string name) =>
        fields.TryGetValue(name, out var value)
            ? value
            : throw new WeChatXmlException(WeChatXmlFailure.MissingElement, $"wechat: element <{name}> is missing");

    private static string? Optional(Fields fields, string name) =>
        fields.TryGetValue(name, out var value) ? value : null;

    private static string? NonEmpty(Fields fields, string name) =>
        fields.TryGetValue(name, out var value) && value.Length > 0 ? value : null;

    private static DateTimeOffset ReadCreateTime(Fields fields)
    {
        var seconds = ReadLong(fields, "CreateTime");
        try
        {
            return DateTimeOffset.FromUnixTimeSeconds(seconds);
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw new WeChatXmlException(WeChatXmlFailure.Malformed, "wechat: <CreateTime> is out of range", e);
        }
    }

    private static long ReadMsgId(Fields fields) => ReadLong(fields, "MsgId");

    private static long ReadLong(Fields fields, string name) =>
        long.TryParse(Required(fields, name).Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw NotANumber(name);

    private static int ReadInt(Fields fields, string name) =>
        int.TryParse(Required(fields, name).Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw NotANumber(name);

    private static double ReadDouble(Fields fields, string name) =>
        double.TryParse(Required(fields, name).Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw NotANumber(name);

    private static WeChatXmlException NotANumber(string name) =>
        new(WeChatXmlFailure.Malformed, $"wechat: <{name}> is not a number");

    private static WeChatXmlException TooLarge(int maxBytes) =>
        new(WeChatXmlFailure.TooLarge, string.Create(CultureInfo.InvariantCulture, $"wechat: body exceeds {maxBytes} bytes"));
}
