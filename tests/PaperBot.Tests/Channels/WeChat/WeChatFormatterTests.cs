using System.Text;
using PaperBot.Channels.WeChat;
using PaperBot.Core.Commands;
using PaperBot.Core.Issues;
using PaperBot.WeChat;

namespace PaperBot.Tests.Channels.WeChat;

public sealed class WeChatFormatterTests
{
    private const string Base = "https://papers.example.org";

    private static ReplyMessage Linked(string before, string text, string url) =>
        new MessageBuilder().Text(before).Link(text, url).EndLine().Build();

    public static TheoryData<ReplyMessage[], string> Texts => new()
    {
        { [ReplyMessage.Text("你好")], "你好" },
        { [new MessageBuilder().Bold("第 1 期").EndLine().Line("1. Rho-1").Build()], "第 1 期\n1. Rho-1" },
        { [Linked("论文:", "arXiv 2404.07965", "https://arxiv.org/abs/2404.07965")], "论文:<a href=\"https://arxiv.org/abs/2404.07965\">arXiv 2404.07965</a>" },
        { [Linked("", "q", "https://example.org/?a=\"b\"")], "<a href=\"https://example.org/?a=%22b%22\">q</a>" },
        { [ReplyMessage.Text("欢迎"), ReplyMessage.Text("4. Rho-1")], "欢迎\n\n4. Rho-1" },
        { [new MessageBuilder().Line("点击编号").ButtonRow(Button.Action("4", "p:1:4")).Build()], "点击编号" },
    };

    [Theory]
    [MemberData(nameof(Texts))]
    public void TextRepliesAreThePlainLinesWithAnchorsAndNoButtons(ReplyMessage[] messages, string expected)
    {
        var answer = WeChatFormatter.Answer(new Reply(messages), footer: null, Base);

        Assert.Equal(expected, Assert.IsType<WeChatAnswer.Text>(answer).Content);
    }

    [Theory]
    [InlineData(100, 30)]
    [InlineData(500, 10)]
    [InlineData(3000, 1)]
    public void LongTextsAreCutBetweenLinesWithinTheLimit(int lines, int charsPerLine)
    {
        var builder = new MessageBuilder();
        for (var i = 0; i < lines; i++)
            builder.Text($"{i}. ").Link(new string('长', charsPerLine), $"https://arxiv.org/abs/{i}").EndLine();

        var text = WeChatFormatter.Text([builder.Build()]);

        Assert.InRange(Encoding.UTF8.GetByteCount(text), 1, WeChatReply.MaxTextBytes);
        Assert.EndsWith("\n…", text, StringComparison.Ordinal);
        Assert.All(text.Split('\n').SkipLast(1), line => Assert.EndsWith("</a>", line, StringComparison.Ordinal));
    }

    [Fact]
    public void OneLineLongerThanTheLimitIsCutAsPlainText()
    {
        var message = new MessageBuilder().Link(new string('长', 1000), "https://arxiv.org/abs/1").EndLine().Build();

        var text = WeChatFormatter.Text([message]);

        Assert.InRange(Encoding.UTF8.GetByteCount(text), 2040, WeChatReply.MaxTextBytes);
        Assert.DoesNotContain("<a", text, StringComparison.Ordinal);
        Assert.EndsWith("…", text, StringComparison.Ordinal);
    }

    // A mass-sent announcement is one text: its body, one line after the heading, is cut after a sentence, not left out
    // whole (the reader got the heading and "…").
    [Fact]
    public void ALongParagraphAfterAShortHeadingIsCutAfterASentenceNotLeftOut()
    {
        var body = string.Concat(Enumerable.Range(1, 150).Select(i => $"这是公告的第{i}句。"));
        var message = new MessageBuilder().Bold("📢 公告").EndLine().BlankLine().Line(body).Build();

        var text = WeChatFormatter.Text([message]);

        Assert.InRange(Encoding.UTF8.GetByteCount(text), WeChatReply.MaxTextBytes - 40, WeChatReply.MaxTextBytes);
        Assert.StartsWith("📢 公告\n\n这是公告的第1句。这是公告的第2句。", text, StringComparison.Ordinal);
        Assert.EndsWith("句。…", text, StringComparison.Ordinal);
    }

    [Fact]
    public void TheFooterSurvivesTruncation()
    {
        var message = ReplyMessage.Text(string.Join("\n", Enumerable.Range(0, 400).Select(i => $"{i}. 论文标题")));

        var text = WeChatFormatter.Text([message], "📬 第 2 期 · 新一期\n回复「最新」查看目录。");

        Assert.True(Encoding.UTF8.GetByteCount(text) <= WeChatReply.MaxTextBytes);
        Assert.EndsWith("…\n\n📬 第 2 期 · 新一期\n回复「最新」查看目录。", text, StringComparison.Ordinal);
    }

    [Fact]
    public void ACutGoesBeforeAShortClosingParagraph()
    {
        var message = new MessageBuilder().Line("你的话题筛选:全部话题。").BlankLine();
        for (var i = 0; i < 200; i++)
            message.Line($"· 话题 {i}:一行说明");
        message.BlankLine().Line("发送 话题 add 长上下文 添加话题。");

        var text = WeChatFormatter.Text([message.Build()], "📬 新一期");

        Assert.True(Encoding.UTF8.GetByteCount(text) <= WeChatReply.MaxTextBytes);
        Assert.StartsWith("你的话题筛选:全部话题。\n\n· 话题 0:一行说明\n", text, StringComparison.Ordinal);
        Assert.EndsWith("\n…\n\n发送 话题 add 长上下文 添加话题。\n\n📬 新一期", text, StringComparison.Ordinal);
    }

    [Fact]
    public void AReplyThatIsOnePaperCardIsANewsArticleLinkingToThePaperPage()
    {
        var paper = new Paper { Number = 4, Title = "微软、厦大、清华提出 Rho-1:不是所有 token 都是你需要的", Summary = "第一段。\n\n第二段。" };
        var card = new ReplyMessage([], []) { Card = new PaperCard(7, paper, 14, []) };

        var answer = WeChatFormatter.Answer(Reply.Of(card), footer: "📬 新一期", Base + "/");

        var article = Assert.IsType<WeChatAnswer.News>(answer).Article;
        Assert.Equal("4. 微软、厦大、清华提出 Rho-1:不是所有 token 都是你需要的", article.Title);
        Assert.Equal("📬 新一期\n\n第一段。", article.Description);
        Assert.Equal("https://papers.example.org/issues/7/papers/4", article.Url);
    }

    [Fact]
    public void ALongSummaryIsShortenedInTheArticle()
    {
        var paper = new Paper { Number = 1, Title = "T", Summary = new string('摘', 2000) };

        var article = WeChatFormatter.Article(new PaperCard(1, paper, 1, []), Base);

        Assert.True(Encoding.UTF8.GetByteCount(article.Description) <= WeChatFormatter.MaxDescriptionBytes);
        Assert.EndsWith("…", article.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void AnOfferThatFillsTheArticlesDescriptionIsKeptWholeAndTheSummaryGivesWay()
    {
        var paper = new Paper { Number = 1, Title = "T", Summary = "摘要的第一段。" };
        var footer = "📢 公告\n" + new string('告', 153) + "\n(未完,发送任意消息查看后续)";
        Assert.True(Encoding.UTF8.GetByteCount(footer) <= WeChatFormatter.MaxDescriptionBytes);

        var article = WeChatFormatter.Article(new PaperCard(1, paper, 1, []), Base, footer);

        Assert.True(Encoding.UTF8.GetByteCount(article.Description) <= WeChatFormatter.MaxDescriptionBytes);
        Assert.StartsWith(footer, article.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void AnEmptyReplyIsNoMessageAndAnEmptyReplyWithAnOfferIsTheOffer()
    {
        Assert.IsType<WeChatAnswer.Empty>(WeChatFormatter.Answer(Reply.None, null, Base));
        Assert.Equal("📬", Assert.IsType<WeChatAnswer.Text>(WeChatFormatter.Answer(Reply.None, "📬", Base)).Content);
    }
}
