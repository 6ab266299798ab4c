using System.Xml.Linq;

namespace PaperBot.WeChat.Tests;

// Reply formats from 被动回复用户消息
// (developers.weixin.qq.com/doc/offiaccount/Message_Management/Passive_user_reply_message.html).
public sealed class WeChatReplyTests
{
    private static readonly DateTimeOffset CreateTime = DateTimeOffset.FromUnixTimeSeconds(12345678);

    [Fact]
    public void TextReplyIsTheDocumentedXml()
    {
        var reply = WeChatReply.Text("toUser", "fromUser", CreateTime, "你好");

        Assert.Equal(
            "<xml><ToUserName><![CDATA[toUser]]></ToUserName><FromUserName><![CDATA[fromUser]]></FromUserName>"
            + "<CreateTime>12345678</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[你好]]></Content></xml>",
            reply);
    }

    [Fact]
    public void ReplyToAMessageGoesBackToItsSender()
    {
        var inbound = WeChatXml.ParseMessage(
            "<xml><ToUserName>gh_account</ToUserName><FromUserName>oUser</FromUserName><CreateTime>1</CreateTime>"
            + "<MsgType>text</MsgType><Content>/latest</Content><MsgId>1</MsgId></xml>");

        var reply = XElement.Parse(WeChatReply.Text(inbound, CreateTime, "本周"));

        Assert.Equal("oUser", reply.Element("ToUserName")!.Value);
        Assert.Equal("gh_account", reply.Element("FromUserName")!.Value);
    }

    [Theory]
    [InlineData("]]>")]
    [InlineData("a]]>b]]>c")]
    [InlineData("<b>&amp;</b> \"quoted\" ]]")]
    [InlineData("line one\nline two")]
    public void TextReplyStaysWellFormedAndCarriesTheContentExactly(string content)
    {
        var reply = WeChatReply.Text("toUser", "fromUser", CreateTime, content);

        Assert.Equal(content, XElement.Parse(reply, LoadOptions.PreserveWhitespace).Element("Content")!.Value);
    }

    [Fact]
    public void CharactersXmlCannotCarryAreDroppedFromTheReply()
    {
        var reply = WeChatReply.Text("toUser", "fromUser", CreateTime, "a\u0001b\uD800c 😀");

        Assert.Equal("abc 😀", XElement.Parse(reply).Element("Content")!.Value);
    }

    // 字 is three bytes in UTF-8: 682 of them and "ab" are 2,048 bytes, WeChat's limit; 683 of them are 2,049.
    [Fact]
    public void TextReplyOverTheByteLimitIsRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => WeChatReply.Text("toUser", "fromUser", CreateTime, new string('字', 683)));
    }

    [Fact]
    public void TextReplyAtTheByteLimitCarriesItAll()
    {
        var content = new string('字', 682) + "ab";

        var reply = WeChatReply.Text("toUser", "fromUser", CreateTime, content);

        Assert.Equal(content, XElement.Parse(reply).Element("Content")!.Value);
    }

    [Fact]
    public void NewsReplyWithOneArticleIsTheDocumentedXml()
    {
        var reply = WeChatReply.News(
            "toUser",
            "fromUser",
            CreateTime,
            [new WeChatNewsArticle("title1", "description1", "url", "picurl")]);

        Assert.Equal(
            "<xml><ToUserName><![CDATA[toUser]]></ToUserName><FromUserName><![CDATA[fromUser]]></FromUserName>"
            + "<CreateTime>12345678</CreateTime><MsgType><![CDATA[news]]></MsgType><ArticleCount>1</ArticleCount>"
            + "<Articles><item><Title><![CDATA[title1]]></Title><Description><![CDATA[description1]]></Description>"
            + "<PicUrl><![CDATA[picurl]]></PicUrl><Url><![CDATA[url]]></Url></item></Articles></xml>",
            reply);
    }

    [Fact]
    public void NewsArticleWithoutPictureOmitsPicUrl()
    {
        var reply = XElement.Parse(WeChatReply.News(
            "toUser", "fromUser", CreateTime, [new WeChatNewsArticle("本周 AI 论文", "10 篇", "https://example.org/issues/42")]));

        var item = reply.Element("Articles")!.Element("item")!;
        Assert.Null(item.Element("PicUrl"));
        Assert.Equal("https://example.org/issues/42", item.Element("Url")!.Value);
    }

    [Theory]
    [InlineData(1, "1", new[] { "t1" })]
    [InlineData(8, "8", new[] { "t1", "t2", "t3", "t4", "t5", "t6", "t7", "t8" })]
    public void NewsReplyCarriesOneToEightArticles(int count, string articleCount, string[] titles)
    {
        var articles = Enumerable.Range(1, count).Select(i => new WeChatNewsArticle($"t{i}", $"d{i}", $"https://example.org/{i}")).ToArray();

        var reply = XElement.Parse(WeChatReply.News("toUser", "fromUser", CreateTime, articles));

        Assert.Equal(articleCount, reply.Element("ArticleCount")!.Value);
        Assert.Equal(titles, reply.Element("Articles")!.Elements("item").Select(i => i.Element("Title")!.Value));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(9)]
    public void NewsReplyWithNoneOrMoreThanEightArticlesIsRefused(int count)
    {
        var articles = Enumerable.Range(1, count).Select(i => new WeChatNewsArticle($"t{i}", $"d{i}", $"https://example.org/{i}")).ToArray();

        Assert.Throws<ArgumentOutOfRangeException>(() => WeChatReply.News("toUser", "fromUser", CreateTime, articles));
    }

    [Fact]
    public void SuccessIsTheLiteralTencentAccepts()
    {
        Assert.Equal("success", WeChatReply.Success);
    }
}
