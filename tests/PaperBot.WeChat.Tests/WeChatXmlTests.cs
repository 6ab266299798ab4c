using System.Net;
using System.Net.Sockets;
using System.Text;

namespace PaperBot.WeChat.Tests;

// Unless noted, the XML is pasted from 接收普通消息
// (developers.weixin.qq.com/doc/offiaccount/Message_Management/Receiving_standard_messages.html)
// and 接收事件推送 (developers.weixin.qq.com/doc/offiaccount/Message_Management/Receiving_event_pushes.html).
public sealed class WeChatXmlTests
{
    [Fact]
    public void TextMessageFromTheDocsIsParsed()
    {
        const string Xml = """
            <xml>
              <ToUserName><![CDATA[toUser]]></ToUserName>
              <FromUserName><![CDATA[fromUser]]></FromUserName>
              <CreateTime>1348831860</CreateTime>
              <MsgType><![CDATA[text]]></MsgType>
              <Content><![CDATA[this is a test]]></Content>
              <MsgId>1234567890123456</MsgId>
              <MsgDataId>xxxx</MsgDataId>
              <Idx>xxxx</Idx>
            </xml>
            """;

        var message = Assert.IsType<TextMessage>(WeChatXml.ParseMessage(Xml));

        Assert.Equal("toUser", message.ToUserName);
        Assert.Equal("fromUser", message.FromUserName);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1348831860), message.CreateTime);
        Assert.Equal("text", message.MsgType);
        Assert.Equal("this is a test", message.Content);
        Assert.Equal(1234567890123456, message.MsgId);
        Assert.Equal("1234567890123456", message.DeduplicationKey);
    }

    [Fact]
    public void ImageMessageFromTheDocsIsParsed()
    {
        const string Xml = """
            <xml>
              <ToUserName><![CDATA[toUser]]></ToUserName>
              <FromUserName><![CDATA[fromUser]]></FromUserName>
              <CreateTime>1348831860</CreateTime>
              <MsgType><![CDATA[image]]></MsgType>
              <PicUrl><![CDATA[this is a url]]></PicUrl>
              <MediaId><![CDATA[media_id]]></MediaId>
              <MsgId>1234567890123456</MsgId>
            </xml>
            """;

        var message = Assert.IsType<ImageMessage>(WeChatXml.ParseMessage(Xml));

        Assert.Equal("this is a url", message.PicUrl);
        Assert.Equal("media_id", message.MediaId);
        Assert.Equal("1234567890123456", message.DeduplicationKey);
    }

    [Fact]
    public void VoiceMessageWithRecognitionFromTheDocsIsParsed()
    {
        const string Xml = """
            <xml>
              <ToUserName><![CDATA[toUser]]></ToUserName>
              <FromUserName><![CDATA[fromUser]]></FromUserName>
              <CreateTime>1357290913</CreateTime>
              <MsgType><![CDATA[voice]]></MsgType>
              <MediaId><![CDATA[media_id]]></MediaId>
              <Format><![CDATA[Format]]></Format>
              <Recognition><![CDATA[腾讯微信团队]]></Recognition>
              <MsgId>1234567890123456</MsgId>
            </xml>
            """;

        var message = Assert.IsType<VoiceMessage>(WeChatXml.ParseMessage(Xml));

        Assert.Equal("media_id", message.MediaId);
        Assert.Equal("Format", message.Format);
        Assert.Equal("腾讯微信团队", message.Recognition);
    }

    [Fact]
    public void VoiceMessageWithoutRecognitionHasNone()
    {
        const string Xml = """
            <xml>
              <ToUserName><![CDATA[toUser]]></ToUserName>
              <FromUserName><![CDATA[fromUser]]></FromUserName>
              <CreateTime>1357290913</CreateTime>
              <MsgType><![CDATA[voice]]></MsgType>
              <MediaId><![CDATA[media_id]]></MediaId>
              <Format><![CDATA[Format]]></Format>
              <MsgId>1234567890123456</MsgId>
            </xml>
            """;

        Assert.Null(Assert.IsType<VoiceMessage>(WeChatXml.ParseMessage(Xml)).Recognition);
    }

    [Theory]
    [InlineData("video")]
    [InlineData("shortvideo")]
    public void VideoAndShortVideoMessagesFromTheDocsAreParsed(string msgType)
    {
        var xml = $"""
            <xml>
              <ToUserName><![CDATA[toUser]]></ToUserName>
              <FromUserName><![CDATA[fromUser]]></FromUserName>
              <CreateTime>1357290913</CreateTime>
              <MsgType><![CDATA[{msgType}]]></MsgType>
              <MediaId><![CDATA[media_id]]></MediaId>
              <ThumbMediaId><![CDATA[thumb_media_id]]></ThumbMediaId>
              <MsgId>1234567890123456</MsgId>
            </xml>
            """;

        var message = Assert.IsType<VideoMessage>(WeChatXml.ParseMessage(xml));

        Assert.Equal(msgType, message.MsgType);
        Assert.Equal("media_id", message.MediaId);
        Assert.Equal("thumb_media_id", message.ThumbMediaId);
    }

    [Fact]
    public void LocationMessageFromTheDocsIsParsed()
    {
        const string Xml = """
            <xml>
              <ToUserName><![CDATA[toUser]]></ToUserName>
              <FromUserName><![CDATA[fromUser]]></FromUserName>
              <CreateTime>1351776360</CreateTime>
              <MsgType><![CDATA[location]]></MsgType>
              <Location_X>23.134521</Location_X>
              <Location_Y>113.358803</Location_Y>
              <Scale>20</Scale>
              <Label><![CDATA[位置信息]]></Label>
              <MsgId>1234567890123456</MsgId>
            </xml>
            """;

        var message = Assert.IsType<LocationMessage>(WeChatXml.ParseMessage(Xml));

        Assert.Equal(23.134521, message.Latitude);
        Assert.Equal(113.358803, message.Longitude);
        Assert.Equal(20, message.Scale);
        Assert.Equal("位置信息", message.Label);
    }

    [Fact]
    public void LinkMessageFromTheDocsIsParsed()
    {
        const string Xml = """
            <xml>
              <ToUserName><![CDATA[toUser]]></ToUserName>
              <FromUserName><![CDATA[fromUser]]></FromUserName>
              <CreateTime>1351776360</CreateTime>
              <MsgType><![CDATA[link]]></MsgType>
              <Title><![CDATA[公众平台官网链接]]></Title>
              <Description><![CDATA[公众平台官网链接]]></Description>
              <Url><![CDATA[url]]></Url>
              <MsgId>1234567890123456</MsgId>
            </xml>
            """;

        var message = Assert.IsType<LinkMessage>(WeChatXml.ParseMessage(Xml));

        Assert.Equal("公众平台官网链接", message.Title);
        Assert.Equal("公众平台官网链接", message.Description);
        Assert.Equal("url", message.Url);
    }

    [Fact]
    public void SubscribeEventFromTheDocsIsParsedAndDeduplicatedBySenderAndTime()
    {
        const string Xml = """
            <xml>
              <ToUserName><![CDATA[toUser]]></ToUserName>
              <FromUserName><![CDATA[FromUser]]></FromUserName>
              <CreateTime>123456789</CreateTime>
              <MsgType><![CDATA[event]]></MsgType>
              <Event><![CDATA[subscribe]]></Event>
            </xml>
            """;

        var message = Assert.IsType<SubscribeEvent>(WeChatXml.ParseMessage(Xml));

        Assert.Equal("subscribe", message.Event);
        Assert.Null(message.EventKey);
        Assert.Null(message.SceneValue);
        Assert.Equal("FromUser:123456789:subscribe:", message.DeduplicationKey);
    }

    [Fact]
    public void SubscribeByQrCodeFromTheDocsCarriesTheSceneValue()
    {
        const string Xml = """
            <xml>
              <ToUserName><![CDATA[toUser]]></ToUserName>
              <FromUserName><![CDATA[FromUser]]></FromUserName>
              <CreateTime>123456789</CreateTime>
              <MsgType><![CDATA[event]]></MsgType>
              <Event><![CDATA[subscribe]]></Event>
              <EventKey><![CDATA[qrscene_123123]]></EventKey>
              <Ticket><![CDATA[TICKET]]></Ticket>
            </xml>
            """;

        var message = Assert.IsType<SubscribeEvent>(WeChatXml.ParseMessage(Xml));

        Assert.Equal("qrscene_123123", message.EventKey);
        Assert.Equal("123123", message.SceneValue);
        Assert.Equal("TICKET", message.Ticket);
    }

    [Theory]
    [InlineData("qrscene_digest-cs.AI", "digest-cs.AI")]
    [InlineData("qrscene_", "")]
    [InlineData("last_trade_no_123", null)]
    [InlineData("", null)]
    public void SubscribeSceneValueIsWhatFollowsTheQrscenePrefix(string eventKey, string? sceneValue)
    {
        var xml = $"""
            <xml><ToUserName><![CDATA[gh_1]]></ToUserName><FromUserName><![CDATA[o1]]></FromUserName>
            <CreateTime>1</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[subscribe]]></Event>
            <EventKey><![CDATA[{eventKey}]]></EventKey></xml>
            """;

        Assert.Equal(sceneValue, Assert.IsType<SubscribeEvent>(WeChatXml.ParseMessage(xml)).SceneValue);
    }

    [Fact]
    public void UnsubscribeEventIsParsed()
    {
        const string Xml = """
            <xml>
              <ToUserName><![CDATA[toUser]]></ToUserName>
              <FromUserName><![CDATA[FromUser]]></FromUserName>
              <CreateTime>123456789</CreateTime>
              <MsgType><![CDATA[event]]></MsgType>
              <Event><![CDATA[unsubscribe]]></Event>
            </xml>
            """;

        var message = Assert.IsType<UnsubscribeEvent>(WeChatXml.ParseMessage(Xml));

        Assert.Equal("FromUser", message.FromUserName);
        Assert.Equal("FromUser:123456789:unsubscribe:", message.DeduplicationKey);
    }

    [Fact]
    public void ScanEventFromTheDocsIsParsed()
    {
        const string Xml = """
            <xml>
              <ToUserName><![CDATA[toUser]]></ToUserName>
              <FromUserName><![CDATA[FromUser]]></FromUserName>
              <CreateTime>123456789</CreateTime>
              <MsgType><![CDATA[event]]></MsgType>
              <Event><![CDATA[SCAN]]></Event>
              <EventKey><![CDATA[SCENE_VALUE]]></EventKey>
              <Ticket><![CDATA[TICKET]]></Ticket>
            </xml>
            """;

        var message = Assert.IsType<ScanEvent>(WeChatXml.ParseMessage(Xml));

        Assert.Equal("SCENE_VALUE", message.SceneValue);
        Assert.Equal("TICKET", message.Ticket);
    }

    [Fact]
    public void ClickEventFromTheDocsIsParsed()
    {
        const string Xml = """
            <xml>
              <ToUserName><![CDATA[toUser]]></ToUserName>
              <FromUserName><![CDATA[FromUser]]></FromUserName>
              <CreateTime>123456789</CreateTime>
              <MsgType><![CDATA[event]]></MsgType>
              <Event><![CDATA[CLICK]]></Event>
              <EventKey><![CDATA[EVENTKEY]]></EventKey>
            </xml>
            """;

        Assert.Equal("EVENTKEY", Assert.IsType<ClickEvent>(WeChatXml.ParseMessage(Xml)).EventKey);
    }

    [Fact]
    public void ViewEventFromTheDocsCarriesTheUrl()
    {
        // 自定义菜单事件推送 (developers.weixin.qq.com/doc/offiaccount/Custom_Menus/Custom_Menu_Push_Events.html)
        const string Xml = """
            <xml>
              <ToUserName><![CDATA[toUser]]></ToUserName>
              <FromUserName><![CDATA[FromUser]]></FromUserName>
              <CreateTime>123456789</CreateTime>
              <MsgType><![CDATA[event]]></MsgType>
              <Event><![CDATA[VIEW]]></Event>
              <EventKey><![CDATA[www.qq.com]]></EventKey>
              <MenuId>MENUID</MenuId>
            </xml>
            """;

        var message = Assert.IsType<ViewEvent>(WeChatXml.ParseMessage(Xml));

        Assert.Equal("www.qq.com", message.Url);
        Assert.Equal("MENUID", message.MenuId);
    }

    [Fact]
    public void LocationReportEventFallsBackToUnknownEvent()
    {
        const string Xml = """
            <xml>
              <ToUserName><![CDATA[toUser]]></ToUserName>
              <FromUserName><![CDATA[fromUser]]></FromUserName>
              <CreateTime>123456789</CreateTime>
              <MsgType><![CDATA[event]]></MsgType>
              <Event><![CDATA[LOCATION]]></Event>
              <Latitude>23.137466</Latitude>
              <Longitude>113.352425</Longitude>
              <Precision>119.385040</Precision>
            </xml>
            """;

        var message = Assert.IsType<UnknownEvent>(WeChatXml.ParseMessage(Xml));

        Assert.Equal("LOCATION", message.Event);
        Assert.Equal("23.137466", message.Fields["Latitude"]);
        Assert.Equal("fromUser:123456789:LOCATION:", message.DeduplicationKey);
    }

    [Fact]
    public void UnknownMessageTypeFallsBackToUnknownMessageDeduplicatedByMsgId()
    {
        const string Xml = """
            <xml>
              <ToUserName><![CDATA[toUser]]></ToUserName>
              <FromUserName><![CDATA[fromUser]]></FromUserName>
              <CreateTime>1482048670</CreateTime>
              <MsgType><![CDATA[miniprogrampage]]></MsgType>
              <Title><![CDATA[title]]></Title>
              <MsgId>1234567890123456</MsgId>
            </xml>
            """;

        var message = Assert.IsType<UnknownMessage>(WeChatXml.ParseMessage(Xml));

        Assert.Equal("miniprogrampage", message.MsgType);
        Assert.Equal("title", message.Fields["Title"]);
        Assert.Equal("1234567890123456", message.DeduplicationKey);
    }

    [Fact]
    public void UnknownMessageWithoutMsgIdIsDeduplicatedBySenderAndTime()
    {
        const string Xml = "<xml><ToUserName>gh_1</ToUserName><FromUserName>o1</FromUserName>"
            + "<CreateTime>1700000000</CreateTime><MsgType>device_text</MsgType></xml>";

        Assert.Equal("o1:1700000000", WeChatXml.ParseMessage(Xml).DeduplicationKey);
    }

    [Fact]
    public void DtdWithAnExternalEntityIsRejectedAndTheFileIsNotRead()
    {
        var secretFile = Path.GetTempFileName();
        const string Marker = "PAPERBOT-XXE-MARKER";
        File.WriteAllText(secretFile, Marker);
        try
        {
            var xml = $"""
                <?xml version="1.0"?>
                <!DOCTYPE xml [<!ENTITY xxe SYSTEM "file://{secretFile}">]>
                <xml><ToUserName>gh_1</ToUserName><FromUserName>o1</FromUserName><CreateTime>1</CreateTime>
                <MsgType>text</MsgType><Content>&xxe;</Content><MsgId>1</MsgId></xml>
                """;

            var e = Assert.Throws<WeChatXmlException>(() => WeChatXml.ParseMessage(xml));

            Assert.Equal(WeChatXmlFailure.DtdProhibited, e.Failure);
            Assert.DoesNotContain(Marker, e.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(secretFile);
        }
    }

    [Fact]
    public void DtdFromTheBriefIsRejected()
    {
        const string Xml = """<!DOCTYPE xml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><xml><Content>&xxe;</Content></xml>""";

        var e = Assert.Throws<WeChatXmlException>(() => WeChatXml.ParseMessage(Xml));

        Assert.Equal(WeChatXmlFailure.DtdProhibited, e.Failure);
        Assert.DoesNotContain("root:", e.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""<!DOCTYPE xml [<!ENTITY xxe SYSTEM "http://127.0.0.1:{0}/entity">]><xml><Encrypt>&xxe;</Encrypt></xml>""")]
    [InlineData("""<!DOCTYPE xml SYSTEM "http://127.0.0.1:{0}/external.dtd"><xml><Encrypt>x</Encrypt></xml>""")]
    [InlineData("""<!DOCTYPE xml [<!ENTITY % remote SYSTEM "http://127.0.0.1:{0}/p.dtd"> %remote;]><xml/>""")]
    public void ExternalEntitiesAndDtdsAreNeverFetched(string template)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            var xml = string.Format(System.Globalization.CultureInfo.InvariantCulture, template, port);

            var e = Assert.Throws<WeChatXmlException>(() => WeChatXml.ParseMessage(xml));

            Assert.Equal(WeChatXmlFailure.DtdProhibited, e.Failure);
            Assert.False(listener.Pending(), "the parser connected to the entity's URL");
        }
        finally
        {
            listener.Stop();
        }
    }

    [Fact]
    public void BodyLargerThanTheLimitIsRejected()
    {
        var xml = "<xml><ToUserName>gh_1</ToUserName><FromUserName>o1</FromUserName><CreateTime>1</CreateTime>"
            + "<MsgType>text</MsgType><MsgId>1</MsgId><Content>" + new string('长', 22_000) + "</Content></xml>";

        var e = Assert.Throws<WeChatXmlException>(() => WeChatXml.ParseMessage(xml));

        Assert.Equal(WeChatXmlFailure.TooLarge, e.Failure);
    }

    [Fact]
    public void LimitIsConfigurable()
    {
        const string Xml = "<xml><ToUserName>gh_1</ToUserName><FromUserName>o1</FromUserName><CreateTime>1</CreateTime>"
            + "<MsgType>text</MsgType><Content>hi</Content><MsgId>1</MsgId></xml>";

        Assert.IsType<TextMessage>(WeChatXml.ParseMessage(Xml, maxBytes: Xml.Length));
        Assert.Equal(WeChatXmlFailure.TooLarge, Assert.Throws<WeChatXmlException>(() => WeChatXml.ParseMessage(Xml, maxBytes: Xml.Length - 1)).Failure);
    }

    [Fact]
    public async Task ReadingABodyStopsAtTheLimit()
    {
        using var body = new MemoryStream(new byte[1024 * 1024]);

        var e = await Assert.ThrowsAsync<WeChatXmlException>(() => WeChatXml.ReadBodyAsync(body, maxBytes: 4096));

        Assert.Equal(WeChatXmlFailure.TooLarge, e.Failure);
        Assert.True(body.Position <= 4097, $"read {body.Position} bytes");
    }

    [Fact]
    public async Task ReadingABodyDecodesUtf8AndDropsAByteOrderMark()
    {
        using var body = new MemoryStream([.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes("<xml>中文</xml>")]);

        Assert.Equal("<xml>中文</xml>", await WeChatXml.ReadBodyAsync(body));
    }

    [Fact]
    public async Task ReadingABodyThatIsNotUtf8IsRejected()
    {
        using var body = new MemoryStream([0x3C, 0x78, 0xFF, 0x3E]);

        var e = await Assert.ThrowsAsync<WeChatXmlException>(() => WeChatXml.ReadBodyAsync(body));

        Assert.Equal(WeChatXmlFailure.Malformed, e.Failure);
    }

    [Theory]
    [InlineData("", WeChatXmlFailure.Malformed)]
    [InlineData("not xml", WeChatXmlFailure.Malformed)]
    [InlineData("<xml><ToUserName>gh_1</ToUserName>", WeChatXmlFailure.Malformed)]
    [InlineData("<message><ToUserName>gh_1</ToUserName></message>", WeChatXmlFailure.Malformed)]
    [InlineData("<xml><ToUserName>gh_1</ToUserName><ToUserName>gh_2</ToUserName></xml>", WeChatXmlFailure.Malformed)]
    [InlineData("<xml><ToUserName>gh_1</ToUserName><CreateTime>1</CreateTime><MsgType>text</MsgType></xml>", WeChatXmlFailure.MissingElement)]
    [InlineData("<xml><ToUserName>gh_1</ToUserName><FromUserName>o1</FromUserName><CreateTime>soon</CreateTime><MsgType>text</MsgType></xml>", WeChatXmlFailure.Malformed)]
    [InlineData("<xml><ToUserName>gh_1</ToUserName><FromUserName>o1</FromUserName><CreateTime>1</CreateTime><MsgType>text</MsgType><Content>hi</Content></xml>", WeChatXmlFailure.MissingElement)]
    [InlineData("<xml><ToUserName>gh_1</ToUserName><FromUserName>o1</FromUserName><CreateTime>1</CreateTime><MsgType>text</MsgType><Content>hi</Content><MsgId>12ab</MsgId></xml>", WeChatXmlFailure.Malformed)]
    [InlineData("<xml><ToUserName>gh_1</ToUserName><FromUserName>o1</FromUserName><CreateTime>1</CreateTime><MsgType>event</MsgType></xml>", WeChatXmlFailure.MissingElement)]
    public void BodyThatIsNotADocumentedMessageIsRejected(string xml, WeChatXmlFailure failure)
    {
        Assert.Equal(failure, Assert.Throws<WeChatXmlException>(() => WeChatXml.ParseMessage(xml)).Failure);
    }

    [Fact]
    public void TwoMenuTapsInOneSecondAreTwoEvents()
    {
        static string Tap(string key) =>
            $"<xml><ToUserName>gh_1</ToUserName><FromUserName>o1</FromUserName><CreateTime>1700000000</CreateTime>"
            + $"<MsgType>event</MsgType><Event>CLICK</Event><EventKey>{key}</EventKey></xml>";

        Assert.Equal("o1:1700000000:CLICK:latest", WeChatXml.ParseMessage(Tap("latest")).DeduplicationKey);
        Assert.Equal("o1:1700000000:CLICK:issues", WeChatXml.ParseMessage(Tap("issues")).DeduplicationKey);
    }

    [Fact]
    public void AViewEventWithALongUrlKeepsItsKeyWithinTheReceiptsLength()
    {
        var url = "https://paperbot.example.com/issues/1?" + new string('q', 200);
        var xml = "<xml><ToUserName>gh_1</ToUserName><FromUserName>o1</FromUserName><CreateTime>1700000000</CreateTime>"
            + $"<MsgType>event</MsgType><Event>VIEW</Event><EventKey><![CDATA[{url}]]></EventKey></xml>";

        var key = WeChatXml.ParseMessage(xml).DeduplicationKey;

        Assert.StartsWith("o1:1700000000:VIEW:", key, StringComparison.Ordinal);
        Assert.Equal("o1:1700000000:VIEW:".Length + 32, key.Length);
    }

    [Fact]
    public void APublishingJobsEndFromTheDocsIsParsedWithTheArticlesAddress()
    {
        // 发布能力 / 发布结果的事件推送 (developers.weixin.qq.com/doc/service/api/public/api_freepublish_submit)
        const string Xml = """
            <xml>
              <ToUserName><![CDATA[gh_4d00ed8d6399]]></ToUserName>
              <FromUserName><![CDATA[oV5CrjpxgaGXNHIQigzNlgLTnwic]]></FromUserName>
              <CreateTime>1481013459</CreateTime>
              <MsgType><![CDATA[event]]></MsgType>
              <Event><![CDATA[PUBLISHJOBFINISH]]></Event>
              <PublishEventInfo>
                <publish_id>2247503051</publish_id>
                <publish_status>0</publish_status>
                <article_id><![CDATA[b5O2OUs25HBxRceL7hfReg-U9QGeq9zQjiDvyWFrXNJ6nBfwPIu4Gc8Ms6xeq8Yo]]></article_id>
                <article_detail>
                  <count>1</count>
                  <item>
                    <idx>1</idx>
                    <article_url><![CDATA[ARTICLE_URL]]></article_url>
                  </item>
                </article_detail>
              </PublishEventInfo>
            </xml>
            """;

        var finished = Assert.IsType<PublishJobFinishEvent>(WeChatXml.ParseMessage(Xml));

        Assert.Equal("2247503051", finished.Job.PublishId);
        Assert.Equal(WeChatPublishStatus.Succeeded, finished.Job.Status);
        Assert.Equal("b5O2OUs25HBxRceL7hfReg-U9QGeq9zQjiDvyWFrXNJ6nBfwPIu4Gc8Ms6xeq8Yo", finished.Job.ArticleId);
        Assert.Equal(["ARTICLE_URL"], finished.Job.ArticleUrls);
        // Receipts drop a repeat of this report, and only of this one: another job finishing in the same second is kept.
        Assert.Equal("oV5CrjpxgaGXNHIQigzNlgLTnwic:1481013459:PUBLISHJOBFINISH:2247503051", finished.DeduplicationKey);
    }

    [Fact]
    public void AFailedPublishingJobNamesTheArticlesThatFailed()
    {
        const string Xml = """
            <xml>
              <ToUserName><![CDATA[gh_4d00ed8d6399]]></ToUserName>
              <FromUserName><![CDATA[oV5CrjpxgaGXNHIQigzNlgLTnwic]]></FromUserName>
              <CreateTime>1481013459</CreateTime>
              <MsgType><![CDATA[event]]></MsgType>
              <Event><![CDATA[PUBLISHJOBFINISH]]></Event>
              <PublishEventInfo>
                <publish_id>2247503051</publish_id>
                <publish_status>2</publish_status>
                <fail_idx>1</fail_idx>
                <fail_idx>2</fail_idx>
              </PublishEventInfo>
            </xml>
            """;

        var finished = Assert.IsType<PublishJobFinishEvent>(WeChatXml.ParseMessage(Xml));

        Assert.Equal(WeChatPublishStatus.OriginalityCheckFailed, finished.Job.Status);
        Assert.Empty(finished.Job.ArticleUrls);
        Assert.Equal("the originality declaration failed (原创失败)", WeChatPublishJob.Describe(finished.Job.Status));
    }

    [Fact]
    public void AMassSendReportOfANewsSendCarriesItsCountsAndTheArticlesAddress()
    {
        // 事件推送群发结果 as a real account received it for an mpnews send (developers.weixin.qq.com community, 2022).
        const string Xml = """
            <xml><ToUserName><![CDATA[gh_1f567c6f4bbd]]></ToUserName>
            <FromUserName><![CDATA[ov7hP6b1X_yWfnX7Jy3IFQnwJzzM]]></FromUserName>
            <CreateTime>1650896441</CreateTime>
            <MsgType><![CDATA[event]]></MsgType>
            <Event><![CDATA[MASSSENDJOBFINISH]]></Event>
            <MsgID>1000000003</MsgID>
            <Status><![CDATA[send success]]></Status>
            <TotalCount>4</TotalCount>
            <FilterCount>4</FilterCount>
            <SentCount>4</SentCount>
            <ErrorCount>0</ErrorCount>
            <CopyrightCheckResult><Count>0</Count>
            <ResultList></ResultList>
            <CheckState>0</CheckState>
            </CopyrightCheckResult>
            <ArticleUrlResult><Count>1</Count>
            <ResultList><item><ArticleIdx>1</ArticleIdx>
            <ArticleUrl><![CDATA[http://mp.weixin.qq.com/s/8yzT20EvmDg37Jso9nsIIw]]></ArticleUrl>
            </item>
            </ResultList>
            </ArticleUrlResult>
            </xml>
            """;

        var report = Assert.IsType<MassSendJobFinishEvent>(WeChatXml.ParseMessage(Xml));

        Assert.Equal((1000000003L, "send success", 4, 4, 4, 0), (report.MsgId, report.Status, report.TotalCount, report.FilterCount, report.SentCount, report.ErrorCount));
        Assert.Equal(["http://mp.weixin.qq.com/s/8yzT20EvmDg37Jso9nsIIw"], report.ArticleUrls);
        Assert.Equal("ov7hP6b1X_yWfnX7Jy3IFQnwJzzM:1650896441:MASSSENDJOBFINISH:1000000003", report.DeduplicationKey);
    }
}
