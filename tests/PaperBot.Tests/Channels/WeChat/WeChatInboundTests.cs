using PaperBot.Channels.WeChat;
using PaperBot.WeChat;

namespace PaperBot.Tests.Channels.WeChat;

// Bodies after 接收普通消息 and 接收事件推送; FromUserName is the sender's OpenID.
public sealed class WeChatInboundTests
{
    private static string Message(string msgType, string fields) => $"""
        <xml>
          <ToUserName><![CDATA[toUser]]></ToUserName>
          <FromUserName><![CDATA[fromUser]]></FromUserName>
          <CreateTime>1348831860</CreateTime>
          <MsgType><![CDATA[{msgType}]]></MsgType>
          {fields}
        </xml>
        """;

    [Theory]
    [InlineData("text", "<Content><![CDATA[论文 4]]></Content><MsgId>1234567890123456</MsgId>", "论文 4")]
    [InlineData("voice", "<MediaId><![CDATA[m]]></MediaId><Format><![CDATA[amr]]></Format><Recognition><![CDATA[最新。]]></Recognition><MsgId>1</MsgId>", "最新")]
    [InlineData("event", "<Event><![CDATA[subscribe]]></Event>", "/start")]
    [InlineData("event", "<Event><![CDATA[subscribe]]></Event><EventKey><![CDATA[]]></EventKey>", "/start")]
    [InlineData("event", "<Event><![CDATA[subscribe]]></Event><EventKey><![CDATA[qrscene_paper_4]]></EventKey><Ticket><![CDATA[TICKET]]></Ticket>", "/start paper_4")]
    [InlineData("event", "<Event><![CDATA[SCAN]]></Event><EventKey><![CDATA[paper_4]]></EventKey><Ticket><![CDATA[TICKET]]></Ticket>", "/paper 4")]
    [InlineData("event", "<Event><![CDATA[SCAN]]></Event><EventKey><![CDATA[paper_3_4]]></EventKey><Ticket><![CDATA[TICKET]]></Ticket>", "/paper 4 3")]
    [InlineData("event", "<Event><![CDATA[CLICK]]></Event><EventKey><![CDATA[latest]]></EventKey>", "latest")]
    public void MessagesAndEventsBecomeCommandText(string msgType, string fields, string text)
    {
        var action = WeChatInbound.Classify(WeChatXml.ParseMessage(Message(msgType, fields)));

        Assert.Equal(text, Assert.IsType<WeChatAction.Command>(action).Text);
    }

    [Theory]
    [InlineData("image", "<PicUrl><![CDATA[this is a url]]></PicUrl><MediaId><![CDATA[media_id]]></MediaId><MsgId>1</MsgId>")]
    [InlineData("voice", "<MediaId><![CDATA[m]]></MediaId><Format><![CDATA[amr]]></Format><MsgId>1</MsgId>")]
    [InlineData("location", "<Location_X>23.134521</Location_X><Location_Y>113.358803</Location_Y><Scale>20</Scale><Label><![CDATA[位置信息]]></Label><MsgId>1</MsgId>")]
    [InlineData("link", "<Title><![CDATA[公众平台官网链接]]></Title><Description><![CDATA[公众平台官网链接]]></Description><Url><![CDATA[url]]></Url><MsgId>1</MsgId>")]
    [InlineData("sticker", "<MsgId>1</MsgId>")]
    public void OtherUserMessagesGetTheTextHint(string msgType, string fields)
    {
        Assert.IsType<WeChatAction.Hint>(WeChatInbound.Classify(WeChatXml.ParseMessage(Message(msgType, fields))));
    }

    [Theory]
    [InlineData("<Event><![CDATA[VIEW]]></Event><EventKey><![CDATA[https://papers.example.org/]]></EventKey>")]
    [InlineData("<Event><![CDATA[LOCATION]]></Event><Latitude>23.137466</Latitude><Longitude>113.352425</Longitude><Precision>119.385040</Precision>")]
    [InlineData("<Event><![CDATA[SCAN]]></Event><EventKey><![CDATA[campaign]]></EventKey>")]
    public void EventsTheBotDoesNotUseAreIgnored(string fields)
    {
        Assert.IsType<WeChatAction.Ignore>(WeChatInbound.Classify(WeChatXml.ParseMessage(Message("event", fields))));
    }

    [Fact]
    public void UnfollowingIsAnUnsubscription()
    {
        var action = WeChatInbound.Classify(WeChatXml.ParseMessage(Message("event", "<Event><![CDATA[unsubscribe]]></Event>")));

        Assert.IsType<WeChatAction.Unsubscribe>(action);
    }

    [Fact]
    public void TheMassSendReportIsRead()
    {
        // 事件推送群发结果
        var report = WeChatXml.ParseMessage("""
            <xml>
              <ToUserName><![CDATA[gh_4d00ed8d6399]]></ToUserName>
              <FromUserName><![CDATA[oV5CrjpxgaGXNHIQigzNlgLTnwic]]></FromUserName>
              <CreateTime>1481013459</CreateTime>
              <MsgType><![CDATA[event]]></MsgType>
              <Event><![CDATA[MASSSENDJOBFINISH]]></Event>
              <MsgID>1000001625</MsgID>
              <Status><![CDATA[err(30003)]]></Status>
              <TotalCount>0</TotalCount>
              <FilterCount>0</FilterCount>
              <SentCount>0</SentCount>
              <ErrorCount>0</ErrorCount>
            </xml>
            """);

        var action = Assert.IsType<WeChatAction.MassSendReport>(WeChatInbound.Classify(report));

        Assert.Equal(1000001625, action.Report.MsgId);
        Assert.Equal("err(30003)", action.Report.Status);
        Assert.Equal(0, action.Report.SentCount);
    }
}
