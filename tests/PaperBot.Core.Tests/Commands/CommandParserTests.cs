using PaperBot.Core.Commands;

namespace PaperBot.Core.Tests.Commands;

public sealed class CommandParserTests
{
    [Theory]
    [InlineData("/paper 4", 4, null)]
    [InlineData("paper 4", 4, null)]
    [InlineData("论文 4", 4, null)]
    [InlineData("论文4", 4, null)]
    [InlineData("4", 4, null)]
    [InlineData("/paper ４", 4, null)]
    [InlineData("/PAPER 4", 4, null)]
    [InlineData("/paper@PaperBot 4", 4, null)]
    [InlineData("/paper 4 2", 4, 2)]
    [InlineData("/paper #4 第2期", 4, 2)]
    [InlineData("/paper 第2期 第4篇", 4, 2)] // 期 marks the issue wherever it stands
    [InlineData("论文 第2期 4", 4, 2)]
    [InlineData("/paper 99", 99, null)]
    [InlineData("/paper 4\uFFFE", 4, null)] // what normalization refuses is dropped, not thrown
    [InlineData("\uFF0Fpaper 4", 4, null)] // typed with a Chinese keyboard's full-width slash
    [InlineData("论文\u0001 4", 4, null)]
    [InlineData("/paper 四", 4, null)]
    [InlineData("/paper 第四篇", 4, null)]
    [InlineData("论文 十", 10, null)]
    [InlineData("论文十二", 12, null)]
    [InlineData("论文第二十篇", 20, null)]
    [InlineData("/paper 九十九", 99, null)]
    [InlineData("/paper 一", 1, null)]
    [InlineData("论文 第二期 第十二篇", 12, 2)]
    [InlineData("/paper 十四 三", 14, 3)]
    [InlineData("/paper 4 第一百零五期", 4, 105)]
    [InlineData("/paper 4 两百", 4, 200)]
    [InlineData("/paper 4 一百一十", 4, 110)]
    [InlineData("四", 4, null)]
    [InlineData("第4篇", 4, null)]
    [InlineData("第2期 第4篇", 4, 2)]
    [InlineData("第二期 第十二篇", 12, 2)]
    [InlineData("4 2", 4, 2)]
    public void PaperCommandsInEveryFormReadTheNumber(string text, int number, int? issue)
    {
        var command = Assert.IsType<PaperCommand>(CommandParser.Parse(text, privateChat: true, botUsername: "PaperBot"));
        Assert.Equal(number, command.Number);
        Assert.Equal(issue, command.IssueId);
    }

    [Theory]
    [InlineData("/paper", Problem.MissingNumber)]
    [InlineData("/paper abc", Problem.NotANumber)]
    [InlineData("/paper 4 x", Problem.NotAnIssueNumber)]
    [InlineData("/paper 四x", Problem.NotANumber)]
    [InlineData("/paper 四四", Problem.NotANumber)]
    [InlineData("/paper 十十", Problem.NotANumber)]
    [InlineData("/paper 两", Problem.NotANumber)]
    [InlineData("/paper 一百十", Problem.NotANumber)]
    [InlineData("/paper 百", Problem.NotANumber)]
    [InlineData("/paper 4 第x期", Problem.NotAnIssueNumber)]
    [InlineData("/issue x", Problem.NotAnIssueNumber)]
    [InlineData("/search", Problem.MissingWords)]
    [InlineData("/topics add", Problem.MissingTopic)]
    [InlineData("/topics fly", Problem.UnknownTopicAction)]
    [InlineData("/lang fr", Problem.BadLanguage)]
    [InlineData("/broadcast", Problem.MissingText)]
    [InlineData("/publish soon", Problem.NotAnIssueNumber)]
    [InlineData("/publish 3 now", Problem.NotAnIssueNumber)]
    public void MisusedCommandsNameTheProblem(string text, Problem problem)
    {
        var command = Assert.IsType<BadCommand>(CommandParser.Parse(text));
        Assert.Equal(problem, command.Problem);
    }

    [Theory]
    [InlineData("最新", typeof(LatestCommand))]
    [InlineData("帮助", typeof(HelpCommand))]
    [InlineData("往期", typeof(IssuesCommand))]
    [InlineData("往期 3", typeof(IssueCommand))]
    [InlineData("往期 三", typeof(IssueCommand))]
    [InlineData("往期第三期", typeof(IssueCommand))]
    [InlineData("一下", typeof(NotACommand))]
    [InlineData("订阅", typeof(SubscribeCommand))]
    [InlineData("退订", typeof(UnsubscribeCommand))]
    [InlineData("话题", typeof(TopicsCommand))]
    [InlineData("搜索 长上下文", typeof(SearchCommand))]
    [InlineData("/start", typeof(StartCommand))]
    [InlineData("/status", typeof(StatusCommand))]
    [InlineData("/stats", typeof(StatsCommand))]
    [InlineData("/publish", typeof(PublishCommand))]
    [InlineData("/publish 3", typeof(PublishCommand))]
    [InlineData("/publish 3 confirm", typeof(PublishDecisionCommand))]
    [InlineData("发布 3 确认", typeof(PublishDecisionCommand))]
    [InlineData("/nosuch", typeof(UnknownCommand))]
    [InlineData("hello there", typeof(NotACommand))]
    [InlineData("4 papers on agents", typeof(NotACommand))]
    public void WordsAndAliasesMapToCommands(string text, Type expected) =>
        Assert.IsType(expected, CommandParser.Parse(text));

    [Theory]
    [InlineData("/topics add 长上下文", TopicAction.Add, "长上下文")]
    [InlineData("话题 添加 long-context", TopicAction.Add, "long-context")]
    [InlineData("/topics remove moe", TopicAction.Remove, "moe")]
    [InlineData("/topics +moe", TopicAction.Add, "moe")]
    [InlineData("/topics clear", TopicAction.Clear, null)]
    [InlineData("话题 清空", TopicAction.Clear, null)]
    [InlineData("话题 ＋智能体", TopicAction.Add, "智能体")]
    [InlineData("话题 － ｍｏｅ", TopicAction.Remove, "moe")]
    public void TopicSubcommandsParseInBothLanguages(string text, TopicAction action, string? topic)
    {
        var command = Assert.IsType<TopicsCommand>(CommandParser.Parse(text));
        Assert.Equal(action, command.Action);
        Assert.Equal(topic, command.Topic);
    }

    [Theory]
    [InlineData("/bib 第2期 第4篇", 4, 2)]
    [InlineData("引用 第2期 4", 4, 2)]
    [InlineData("/bib 十 二", 10, 2)]
    [InlineData("引用 第二期 第十篇", 10, 2)]
    public void BibReadsTheIssueMarkedAsOneWhereverItStands(string text, int number, int issue) =>
        Assert.Equal(new BibCommand(number, issue), CommandParser.Parse(text));

    [Theory]
    [InlineData("第2期", 2)]
    [InlineData("第二期", 2)]
    [InlineData("第十二期", 12)]
    [InlineData("论文 第2期", 2)]
    [InlineData("/paper 第三期", 3)]
    public void AnIssueNumberSentAloneOpensThatIssue(string text, int issue) =>
        Assert.Equal(new IssueCommand(issue), CommandParser.Parse(text));

    [Theory]
    [InlineData("/bib 第2期")]
    [InlineData("引用 第二期")]
    public void BibWithOnlyAnIssueAsksForThePaper(string text) =>
        Assert.Equal(new BadCommand("bib", Problem.MissingNumber), CommandParser.Parse(text));

    [Theory]
    [InlineData("/paper4", true)]
    [InlineData("/paper4 2", true)]
    [InlineData("/PAPER4", true)]
    [InlineData("\uFF0Fpaper4", true)]
    [InlineData("/paper四", true)]
    [InlineData("/paper4@PaperBot", false)]
    [InlineData("/paper4@PaperBot 2", false)]
    [InlineData("/paper@PaperBot 4", false)]
    [InlineData("/paper4", false)]
    [InlineData("paper4", true)]
    public void ASlashCommandGluedToItsNumberReadsLikeTheSpacedOne(string text, bool privateChat)
    {
        var command = Assert.IsType<PaperCommand>(CommandParser.Parse(text, privateChat, botUsername: "PaperBot"));
        Assert.Equal(4, command.Number);
        Assert.Equal(text.EndsWith(" 2", StringComparison.Ordinal) ? 2 : null, command.IssueId);
    }

    [Fact]
    public void EveryCommandThatTakesANumberTakesItGlued()
    {
        Assert.Equal(new BibCommand(4, null), CommandParser.Parse("/bib4"));
        Assert.Equal(new BibCommand(4, 2), CommandParser.Parse("/bib4 2"));
        Assert.Equal(new IssueCommand(2), CommandParser.Parse("/issue2"));
        Assert.Equal(new IssueCommand(2), CommandParser.Parse("/issues2"));
        Assert.Equal(new ResendCommand(3), CommandParser.Parse("/resend3"));
        Assert.Equal(new PublishCommand(3), CommandParser.Parse("/publish3"));
        Assert.Equal(new PaperCommand(4, null), CommandParser.Parse("/paper4@PaperBot", privateChat: false, botUsername: "PaperBot"));
        Assert.IsType<IgnoredMessage>(CommandParser.Parse("/paper4@OtherBot", privateChat: false, botUsername: "PaperBot"));
        Assert.IsType<IgnoredMessage>(CommandParser.Parse("/roll2", privateChat: false, botUsername: "PaperBot"));
        Assert.Equal(new UnknownCommand("roll2"), CommandParser.Parse("/roll2", privateChat: true, botUsername: "PaperBot"));
    }

    [Theory]
    [InlineData("搜索长上下文", "长上下文")]
    [InlineData("搜索长上下文 推理", "长上下文 推理")]
    [InlineData("/搜索长上下文", "长上下文")]
    [InlineData("搜索 长上下文", "长上下文")]
    public void ASearchTypedWithoutTheSpaceSearchesTheWordsAfterIt(string text, string words) =>
        Assert.Equal(new SearchCommand(words), CommandParser.Parse(text));

    [Fact]
    public void GroupCommandsForAnotherBotAreIgnored() =>
        Assert.IsType<IgnoredMessage>(CommandParser.Parse("/paper@OtherBot 4", privateChat: false, botUsername: "PaperBot"));

    [Fact]
    public void AnUnknownGroupCommandIsLeftToTheBotItIsFor()
    {
        Assert.IsType<IgnoredMessage>(CommandParser.Parse("/roll 2d6", privateChat: false, botUsername: "PaperBot"));
        Assert.Equal(new UnknownCommand("roll"), CommandParser.Parse("/roll@PaperBot", privateChat: false, botUsername: "PaperBot"));
        Assert.Equal(new UnknownCommand("roll"), CommandParser.Parse("/roll", privateChat: true, botUsername: "PaperBot"));
    }

    [Fact]
    public void AFullWidthSlashCommandIsAnsweredInGroupsToo() =>
        Assert.Equal(new PaperCommand(4, null), CommandParser.Parse("\uFF0Fpaper 4", privateChat: false, botUsername: "PaperBot"));

    [Fact]
    public void GroupChatterWithoutSlashIsIgnored() =>
        Assert.IsType<IgnoredMessage>(CommandParser.Parse("4", privateChat: false, botUsername: "PaperBot"));

    [Fact]
    public void OverlongMessagesAreRefused() =>
        Assert.Equal(Problem.TooLong, Assert.IsType<BadCommand>(CommandParser.Parse(new string('x', 5000))).Problem);

    [Fact]
    public void BroadcastKeepsTheTextsLineBreaks() =>
        Assert.Equal("line one\nline two", Assert.IsType<BroadcastCommand>(CommandParser.Parse("/broadcast line one\nline two")).Text);

    [Theory]
    [InlineData("p:3:4", typeof(PaperCommand))]
    [InlineData("n:3:5", typeof(PaperCommand))]
    [InlineData("i:3", typeof(IssueCommand))]
    [InlineData("t:moe", typeof(TopicsCommand))]
    [InlineData("tc", typeof(TopicsCommand))]
    [InlineData("zz:1", typeof(BadCommand))]
    [InlineData("p:x:4", typeof(BadCommand))]
    public void ButtonDataParsesBackIntoCommands(string data, Type expected) =>
        Assert.IsType(expected, ButtonData.Parse(data));
}
