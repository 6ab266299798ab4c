using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using PaperBot.Core.Commands;
using PaperBot.Core.Data;
using PaperBot.Core.Issues;
using PaperBot.Core.Publishing;
using PaperBot.Core.Sending;
using PaperBot.Core.Subscribers;

namespace PaperBot.Core.Tests.Commands;

public class CommandEngineTests : StorageTests
{
    [SkippableTheory]
    [InlineData("/paper 4")]
    [InlineData("论文 4")]
    [InlineData("4")]
    [InlineData("/paper 四")]
    [InlineData("/paper 第四篇")]
    [InlineData("论文 四")]
    [InlineData("论文四")]
    [InlineData("论文第四篇")]
    [InlineData("论文 第一期 第四篇")]
    [InlineData("四")]
    public async Task PaperFourIsRho1WithItsArxivLink(string text)
    {
        await using var harness = await StartAsync();
        var reply = await harness.SendAsync(text);

        var message = Assert.Single(reply.Messages);
        Assert.Contains("Rho-1", message.ToPlainText(), StringComparison.Ordinal);
        Assert.Contains("https://arxiv.org/abs/2404.07965", message.ToPlainText(), StringComparison.Ordinal);
        Assert.Equal(4, message.Card!.Paper.Number);
        Assert.Contains(message.Buttons.SelectMany(r => r), b => b.Url == "https://github.com/microsoft/rho");
    }

    [SkippableFact]
    public async Task PaperCardPagesToItsNeighbours()
    {
        await using var harness = await StartAsync();
        var card = Assert.Single((await harness.SendAsync("/paper 4")).Messages);
        var next = card.Buttons.SelectMany(r => r).Single(b => b.Text.Contains('▶', StringComparison.Ordinal));

        var paged = Assert.Single((await harness.PressAsync(next.Data!)).Messages);

        Assert.Equal(5, paged.Card!.Paper.Number);
        Assert.True(paged.ReplacesOriginal);
        Assert.Contains("LLoCO", paged.ToPlainText(), StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task TheFirstPaperPagesOnlyForwardAndSaysWhereItStandsInTheIssue()
    {
        await using var harness = await StartAsync();
        var card = Assert.Single((await harness.SendAsync("/paper 1", language: "en")).Messages);

        Assert.Equal(["1/14", "2 ▶"], card.Buttons[^1].Select(b => b.Text));
        Assert.Contains(" · 1/14", card.ToPlainText(), StringComparison.Ordinal);
        Assert.Equal(14, card.Card!.PaperCount);
    }

    [SkippableFact]
    public async Task TheLastPaperPagesOnlyBack()
    {
        await using var harness = await StartAsync();
        var card = Assert.Single((await harness.SendAsync("/paper 14", language: "en")).Messages);

        Assert.Equal(["◀ 13", "14/14"], card.Buttons[^1].Select(b => b.Text));
    }

    [SkippableFact]
    public async Task APaperAskedForBeforeAnyIssueIsPublishedGetsThatAnswer()
    {
        await using var harness = await StartAsync(publishSample: false);

        Assert.Equal("还没有发布任何一期。", (await harness.SendAsync("/paper 4")).ToPlainText());
        Assert.Equal("还没有发布任何一期。", (await harness.SendAsync("/bib 4")).ToPlainText());
    }

    [SkippableTheory]
    [InlineData("/paper 99", "1–14")]
    [InlineData("/paper 0", "1–14")]
    [InlineData("/paper abc", "/paper 4")]
    [InlineData("/paper 四x", "“四x” is not a paper number. Send /paper N with N from 1 to 14")]
    [InlineData("/paper 四四", "“四四” is not a paper number.")]
    [InlineData("/paper", "/paper 4")]
    [InlineData("/paper 4 99", "99")]
    [InlineData("/issue 42", "42")]
    [InlineData("/issue x", "/issue 1")]
    [InlineData("/search", "/search")]
    [InlineData("/lang fr", "/lang zh")]
    [InlineData("/topics add nosuchtopic", "long-context")]
    [InlineData("/topics fly", "/topics add")]
    [InlineData("/frobnicate", "/help")]
    [InlineData("hello", "/search hello")]
    public async Task BadInputGetsAReplyThatSaysWhatWouldWork(string text, string hint)
    {
        await using var harness = await StartAsync();
        var reply = await harness.SendAsync(text, language: "en");
        Assert.Contains(hint, reply.ToPlainText(), StringComparison.Ordinal);
    }

    [SkippableTheory]
    [InlineData(false, "/bib", "Give a paper number, e.g. /bib 4 (this issue has papers 1–14).")]
    [InlineData(false, "引用 abc", "“abc” is not a paper number. Send /bib N with N from 1 to 14, e.g. /bib 4.")]
    [InlineData(false, "/bib 99", "This issue has papers 1–14; there is no paper 99. Try /bib 1 to /bib 14.")]
    [InlineData(true, "/paper 99 1", "Issue 1 has papers 1–14; there is no paper 99. Try /paper 1 1 to /paper 14 1.")]
    [InlineData(true, "/bib 0 1", "Issue 1 has papers 1–14; there is no paper 0. Try /bib 1 1 to /bib 14 1.")]
    [InlineData(true, "/paper 2", "This issue has papers 1–1; there is no paper 2. Try /paper 1 to /paper 1.")]
    public async Task AWrongPaperNumberIsAnsweredWithTheCommandAndIssueThatWouldWork(bool newerIssue, string text, string expected)
    {
        await using var harness = await StartAsync();
        if (newerIssue)
            await PublishANewerIssueAsync(harness);

        Assert.Equal(expected, (await harness.SendAsync(text, language: "en")).ToPlainText());
    }

    [SkippableTheory]
    [InlineData("/paper", "Give a paper number, e.g. /paper 4.")]
    [InlineData("/paper x", "“x” is not a paper number. Send /paper N, e.g. /paper 4.")]
    public async Task BeforeAnythingIsPublishedAWrongPaperNumberNamesNoRange(string text, string expected)
    {
        await using var harness = await StartAsync(publishSample: false);
        Assert.Equal(expected, (await harness.SendAsync(text, language: "en")).ToPlainText());
    }

    [SkippableFact]
    public async Task PaperOutOfRangeSaysTheValidRangeInChinese()
    {
        await using var harness = await StartAsync();
        var reply = await harness.SendAsync("/paper 99");
        Assert.Contains("本期共有论文 1–14 篇", reply.ToPlainText(), StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task OverlongMessageIsRefusedAndChangesNothing()
    {
        await using var harness = await StartAsync();
        var reply = await harness.SendAsync("/topics add " + new string('x', 5000), language: "en");
        Assert.Contains("too long", reply.ToPlainText(), StringComparison.Ordinal);
        Assert.Empty((await harness.SubscriberAsync("100"))!.Topics);
    }

    [SkippableFact]
    public async Task LatestListsTheFourteenPapersWithANumberButtonEach()
    {
        await using var harness = await StartAsync();
        var message = Assert.Single((await harness.SendAsync("/latest")).Messages);

        Assert.Contains("1. 超越 Transformer", message.ToPlainText(), StringComparison.Ordinal);
        Assert.Contains("14. 微软研究院", message.ToPlainText(), StringComparison.Ordinal);
        var buttons = message.Buttons.SelectMany(r => r).ToList();
        Assert.Equal(Enumerable.Range(1, 14).Select(n => n.ToString(System.Globalization.CultureInfo.InvariantCulture)), buttons.Select(b => b.Text));
        Assert.All(buttons, b => Assert.True(Encoding.UTF8.GetByteCount(b.Data!) <= 64));
        Assert.False(message.LinkPreview);
    }

    [SkippableFact]
    public async Task LatestWithNothingPublishedSaysSo()
    {
        await using var harness = await StartAsync(publishSample: false);
        Assert.Contains("还没有发布", (await harness.SendAsync("最新")).ToPlainText(), StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task IssuesListsTheArchiveAndIssueShowsOne()
    {
        await using var harness = await StartAsync();
        Assert.Contains("本周值得关注的大模型", (await harness.SendAsync("/issues")).ToPlainText(), StringComparison.Ordinal);
        Assert.Contains("7. 谷歌提出无限上下文 Transformer", (await harness.SendAsync("/issue 1")).ToPlainText(), StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task AnOlderIssuesContentsAndSearchHitsSayHowToOpenTheirPapersWithoutButtons()
    {
        await using var harness = await StartAsync();
        await PublishANewerIssueAsync(harness);

        // On WeChat there are no buttons: the hint is the only way in, and "/paper 3" alone opens the newest issue's paper.
        var contents = (await harness.SendAsync("往期 1", channel: Channel.WeChat, language: "en")).ToPlainText();
        var hits = (await harness.SendAsync("搜索 长上下文", channel: Channel.WeChat, language: "en")).ToPlainText();

        Assert.EndsWith("Tap a number or send /paper N 1 for details.", contents, StringComparison.Ordinal);
        Assert.EndsWith("Tap one or send /paper N ISSUE, e.g. /paper 5 1.", hits, StringComparison.Ordinal);
        Assert.Contains("Rho-1", (await harness.SendAsync("/paper 4 1", channel: Channel.WeChat)).ToPlainText(), StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task AnIssueNamedWithoutACommandOpensThatIssueAndItsPapers()
    {
        await using var harness = await StartAsync();
        await PublishANewerIssueAsync(harness);

        var contents = (await harness.SendAsync("第一期", channel: Channel.WeChat, language: "en")).ToPlainText();
        var asPaper = (await harness.SendAsync("/paper 第1期", language: "en")).ToPlainText();
        var paper = await harness.SendAsync("第1期 第4篇", channel: Channel.WeChat, language: "en");

        Assert.EndsWith("Tap a number or send /paper N 1 for details.", contents, StringComparison.Ordinal);
        Assert.Equal(contents, asPaper);
        Assert.Equal(4, Assert.Single(paper.Messages).Card!.Paper.Number);
        Assert.Contains("Rho-1", paper.ToPlainText(), StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task TheNewestIssuesContentsKeepTheShortHint()
    {
        await using var harness = await StartAsync();
        Assert.EndsWith("Tap a number or send /paper N for details.", (await harness.SendAsync("/latest", language: "en")).ToPlainText(), StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task SearchFindsTheLongContextPapers()
    {
        await using var harness = await StartAsync();
        var text = (await harness.SendAsync("/search 长上下文")).ToPlainText();
        Assert.Contains("#1·5", text, StringComparison.Ordinal);
        Assert.Contains("#1·7", text, StringComparison.Ordinal);
        Assert.DoesNotContain("#1·13", text, StringComparison.Ordinal);
    }

    [SkippableTheory]
    [InlineData("/search \"long context\"")]
    [InlineData("/search “长上下文”")]
    [InlineData("搜索 「长上下文」")]
    [InlineData("/search 'long'")]
    public async Task SearchWordsInQuotesFindWhatTheWordsFind(string text)
    {
        await using var harness = await StartAsync();
        var found = (await harness.SendAsync(text, language: "en")).ToPlainText();

        Assert.StartsWith("2 papers match", found, StringComparison.Ordinal);
        Assert.Contains("#1·5", found, StringComparison.Ordinal);
        Assert.Contains("#1·7", found, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task SearchByArxivIdFindsThePaper()
    {
        await using var harness = await StartAsync();
        Assert.Contains("#1·4", (await harness.SendAsync("/search 2404.07965")).ToPlainText(), StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task ACharacterThatIsOnlyPartOfTopicNamesFindsNothing()
    {
        await using var harness = await StartAsync();
        // "&" is in "Speech & audio", "Alignment & safety" and three more names, and in no paper of the sample.
        Assert.Contains("No paper matches", (await harness.SendAsync("/search &", language: "en")).ToPlainText(), StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task SearchForTheBeginningOfATopicsNameFindsItsPapers()
    {
        await using var harness = await StartAsync();
        var text = (await harness.SendAsync("/search long")).ToPlainText();
        Assert.Contains("#1·5", text, StringComparison.Ordinal);
        Assert.Contains("#1·7", text, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task SearchFindsAPaperByTheEnglishTitleAndAuthorsArxivGave()
    {
        await using var harness = await StartAsync();
        await GivePaperFourArxivMetadataAsync(harness, "Rho-1: Not All Tokens Are What You Need", ["Zhenghao Lin", "Zhibin Gou", "Weizhu Chen"]);

        Assert.Contains("#1·4", (await harness.SendAsync("/search not all tokens")).ToPlainText(), StringComparison.Ordinal);
        Assert.Contains("#1·4", (await harness.SendAsync("/search Weizhu Chen")).ToPlainText(), StringComparison.Ordinal);
        Assert.Contains("No paper matches", (await harness.SendAsync("/search Weizhu Hinton", language: "en")).ToPlainText(), StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task SearchIgnoresTheCaseOfAccentedAndNonLatinLettersAsOfPlainOnes()
    {
        await using var harness = await StartAsync();
        await GivePaperFourArxivMetadataAsync(harness, "Ψ-Tokens: Not All Tokens Are What You Need", ["Émile Durand", "Łukasz Nowak", "Иван Петров"]);

        foreach (var words in new[] { "émile", "ÉMILE", "łukasz", "иван", "ψ-tokens" })
            Assert.Contains("#1·4", (await harness.SendAsync($"/search {words}")).ToPlainText(), StringComparison.Ordinal);
    }

    private static Task<int> GivePaperFourArxivMetadataAsync(CoreHarness harness, string englishTitle, List<string> authors) =>
        harness.QueryAsync(async db =>
        {
            var paper = await db.Papers.SingleAsync(p => p.IssueId == 1 && p.Number == 4);
            paper.EnglishTitle = englishTitle;
            paper.Authors = authors;
            return await db.SaveChangesAsync();
        });

    [SkippableFact]
    public async Task SearchWithoutResultsSaysSo()
    {
        await using var harness = await StartAsync();
        Assert.Contains("No paper matches", (await harness.SendAsync("/search quantum gravity", language: "en")).ToPlainText(), StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task TopicsShowWhichPapersOfTheNewestIssueTheFilterLetsThrough()
    {
        await using var harness = await StartAsync();
        var reply = await harness.SendAsync("/topics add long-context", language: "en");

        var text = reply.ToPlainText();
        Assert.Contains("Added topic: Long context", text, StringComparison.Ordinal);
        Assert.Matches(@"of the 14 papers of the newest issue would reach you: [\d, ]*\b5\b[\d, ]*\b7\b", text);
        Assert.Contains(reply.Messages[0].Buttons.SelectMany(r => r), b => b.Text == "✓ Long context" && b.Data == "t:long-context");
        Assert.Equal(["long-context"], (await harness.SubscriberAsync("100"))!.Topics.Select(t => t.Topic));
    }

    [SkippableFact]
    public async Task TopicButtonsToggleAndTheFilterPersists()
    {
        await using var harness = await StartAsync();
        await harness.PressAsync("t:moe");
        await harness.PressAsync("t:multimodal");
        var toggledOff = await harness.PressAsync("t:moe");

        Assert.True(toggledOff.Messages[0].ReplacesOriginal);
        Assert.Equal(["multimodal"], (await harness.SubscriberAsync("100"))!.Topics.Select(t => t.Topic));

        await harness.SendAsync("话题 清空");
        Assert.Empty((await harness.SubscriberAsync("100"))!.Topics);
    }

    [SkippableFact]
    public async Task TopicsAcceptChineseNames()
    {
        await using var harness = await StartAsync();
        await harness.SendAsync("话题 添加 长上下文");
        Assert.Equal(["long-context"], (await harness.SubscriberAsync("100"))!.Topics.Select(t => t.Topic));
    }

    [SkippableFact]
    public async Task OneUsersTopicsDoNotTouchAnothers()
    {
        await using var harness = await StartAsync();
        await harness.SendAsync("/topics add moe", user: "1");
        await harness.SendAsync("/topics add alignment", user: "2");

        Assert.Equal(["moe"], (await harness.SubscriberAsync("1"))!.Topics.Select(t => t.Topic));
        Assert.Equal(["alignment"], (await harness.SubscriberAsync("2"))!.Topics.Select(t => t.Topic));
    }

    [SkippableFact]
    public async Task MessagesOfOneChatArrivingAtOnceAreAllAnsweredAsIfOneCameAfterTheOther()
    {
        await using var harness = await StartAsync();
        // A double tap, a console double click: each message reads the chat before the other one wrote it.
        for (var round = 0; round < 12; round++)
        {
            var user = $"tapper{round}";
            var replies = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Task.Run(() => harness.SendAsync("/topics add moe", user: user, language: "en"))));

            Assert.Single(replies, r => r.ToPlainText().StartsWith("Added topic: Mixture of experts", StringComparison.Ordinal));
            Assert.Equal(2, replies.Count(r => r.ToPlainText().StartsWith("“Mixture of experts” is already in your filter.", StringComparison.Ordinal)));
            Assert.Equal(["moe"], (await harness.SubscriberAsync(user))!.Topics.Select(t => t.Topic));

            var toggles = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Task.Run(() => harness.PressAsync("t:agents", user: user, language: "en"))));

            Assert.Single(toggles, r => r.ToPlainText().StartsWith("Added topic: Agents", StringComparison.Ordinal));
            Assert.Single(toggles, r => r.ToPlainText().StartsWith("Removed topic: Agents", StringComparison.Ordinal));
            Assert.Equal(["moe"], (await harness.SubscriberAsync(user))!.Topics.Select(t => t.Topic));
        }
    }

    [SkippableFact]
    public async Task StartSubscribesAndUnsubscribeStops()
    {
        await using var harness = await StartAsync();
        Assert.Contains("欢迎订阅", (await harness.SendAsync("/start")).ToPlainText(), StringComparison.Ordinal);
        Assert.Equal(SubscriberStatus.Active, (await harness.SubscriberAsync("100"))!.Status);

        Assert.Contains("已退订", (await harness.SendAsync("退订")).ToPlainText(), StringComparison.Ordinal);
        Assert.Equal(SubscriberStatus.Unsubscribed, (await harness.SubscriberAsync("100"))!.Status);

        Assert.Contains("你目前没有订阅", (await harness.SendAsync("/unsubscribe")).ToPlainText(), StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task ComingBackAfterBlockingKeepsTheOldTopics()
    {
        await using var harness = await StartAsync();
        await harness.SendAsync("/start");
        await harness.SendAsync("/topics add moe");
        await harness.QueryAsync(db => db.Subscribers.ExecuteUpdateAsync(s => s.SetProperty(x => x.Status, SubscriberStatus.Blocked)));

        var reply = await harness.SendAsync("/start");

        Assert.Contains("欢迎回来", reply.ToPlainText(), StringComparison.Ordinal);
        var subscriber = (await harness.SubscriberAsync("100"))!;
        Assert.Equal(SubscriberStatus.Active, subscriber.Status);
        Assert.Equal(["moe"], subscriber.Topics.Select(t => t.Topic));
    }

    [SkippableFact]
    public async Task StartWithAPaperPayloadOpensThePaper()
    {
        await using var harness = await StartAsync();
        var reply = await harness.SendAsync("/start paper_4");
        Assert.Equal(2, reply.Messages.Count);
        Assert.Equal(4, reply.Messages[1].Card!.Paper.Number);
    }

    [SkippableFact]
    public async Task TheWebConsoleExplainsItCannotReceivePushes()
    {
        await using var harness = await StartAsync();
        var reply = await harness.SendAsync("/subscribe", channel: Channel.Web, language: "en");
        Assert.Contains("cannot receive pushes", reply.ToPlainText(), StringComparison.Ordinal);
        Assert.Null(await harness.SubscriberAsync("100", Channel.Web));
    }

    [SkippableTheory]
    [InlineData("/unsubscribe")]
    [InlineData("/status")]
    [InlineData("/help")]
    public async Task TheWebConsoleNeverSendsAVisitorToASubscribeItRefuses(string command)
    {
        await using var harness = await StartAsync();
        var text = (await harness.SendAsync(command, channel: Channel.Web, language: "en")).ToPlainText();

        Assert.DoesNotContain("/subscribe", text, StringComparison.Ordinal);
        Assert.DoesNotContain("/unsubscribe", text, StringComparison.Ordinal);
        if (command != "/help")
            Assert.Contains("Subscribe on Telegram or the WeChat Official Account", text, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task TheHelpInAChatListsSubscribing()
    {
        await using var harness = await StartAsync();
        var text = (await harness.SendAsync("/help", language: "en")).ToPlainText();

        Assert.Contains("/subscribe — get the weekly push", text, StringComparison.Ordinal);
        Assert.Contains("/unsubscribe — stop the weekly push", text, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task AConsoleVisitorIsRememberedOnlyOnceTheyChooseSomething()
    {
        await using var harness = await StartAsync();
        await harness.SendAsync("/paper 4", user: "browser1", channel: Channel.Web);
        await harness.SendAsync("/latest", user: "browser1", channel: Channel.Web);
        Assert.Null(await harness.SubscriberAsync("browser1", Channel.Web));

        await harness.SendAsync("/topics add long-context", user: "browser1", channel: Channel.Web);

        var visitor = await harness.SubscriberAsync("browser1", Channel.Web);
        Assert.Equal(["long-context"], visitor!.Topics.Select(t => t.Topic));
        Assert.Equal(SubscriberStatus.Visitor, visitor.Status);
    }

    [SkippableFact]
    public async Task LangSwitchesTheReplyLanguageForGood()
    {
        await using var harness = await StartAsync();
        Assert.Contains("I will reply in English", (await harness.SendAsync("/lang en")).ToPlainText(), StringComparison.Ordinal);
        Assert.Contains("This issue has papers 1–14", (await harness.SendAsync("/paper 99", language: "zh-hans")).ToPlainText(), StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task ClientLanguageChoosesTheReplyLanguageUntilLangIsUsed()
    {
        await using var harness = await StartAsync();
        Assert.Contains("Tap a number", (await harness.SendAsync("/latest", language: "en-GB")).ToPlainText(), StringComparison.Ordinal);
        Assert.Contains("点击编号", (await harness.SendAsync("/latest", language: "zh-hans")).ToPlainText(), StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task HelpListsCommandsAndAdminsAlsoSeeTheirs()
    {
        await using var harness = await StartAsync();
        var user = (await harness.SendAsync("/help", language: "en")).ToPlainText();
        var admin = (await harness.SendAsync("/help", user: CoreHarness.AdminId, language: "en")).ToPlainText();

        Assert.Contains("/paper N", user, StringComparison.Ordinal);
        Assert.DoesNotContain("/broadcast", user, StringComparison.Ordinal);
        Assert.Contains("/broadcast", admin, StringComparison.Ordinal);
    }

    [SkippableTheory]
    [InlineData("/publish")]
    [InlineData("/broadcast hello")]
    [InlineData("/stats")]
    [InlineData("/broadcast")]
    [InlineData("/resend")]
    [InlineData("/resend x")]
    [InlineData("/publish abc")]
    [InlineData("/send")]
    [InlineData("cancel")]
    [InlineData("取消")]
    [InlineData("/tag 4")]
    public async Task AdminCommandsAreRefusedToEveryoneElse(string text)
    {
        await using var harness = await StartAsync();
        var reply = await harness.SendAsync(text, language: "en");

        Assert.Equal("This command is for admins only.", reply.ToPlainText());
        Assert.Equal(1, await harness.QueryAsync(db => db.Pushes.CountAsync()));
    }

    [SkippableFact]
    public async Task AnUnknownTopicIsEchoedBackShortened()
    {
        await using var harness = await StartAsync();

        var reply = (await harness.SendAsync("/topics add " + new string('x', 3000), language: "en")).ToPlainText();

        Assert.StartsWith("There is no topic “xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…”. Available: architecture(Architectures), ", reply, StringComparison.Ordinal);
        Assert.DoesNotContain(new string('x', 31), reply, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task StatusSaysSubscriptionTopicsAndTheNextPush()
    {
        await using var harness = await StartAsync();
        await harness.SendAsync("/start");
        await harness.SendAsync("/topics add moe");
        var text = (await harness.SendAsync("/status", language: "en")).ToPlainText();
        Assert.Contains("Subscription: active", text, StringComparison.Ordinal);
        Assert.Contains("Mixture", text, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Next push: 2026-11-23 09:00 (Asia/Shanghai)", text, StringComparison.Ordinal);
    }

    [SkippableTheory]
    [InlineData(DeliveryStatus.Sent, "zh-hans", "上次推送:第 1 期 · 已送达")]
    [InlineData(DeliveryStatus.Waiting, "zh-hans", "上次推送:第 1 期 · 等你下次发消息时送上")]
    [InlineData(DeliveryStatus.Failed, "zh-hans", "上次推送:第 1 期 · 发送失败")]
    [InlineData(DeliveryStatus.Waiting, "en", "Last delivery: Issue 1 · waiting for your next message")]
    public async Task StatusSaysHowTheLastDeliveryWentInTheReadersLanguage(DeliveryStatus status, string language, string expected)
    {
        await using var harness = await StartAsync();
        await harness.SendAsync("/start", language: language);
        await harness.QueryAsync(async db =>
        {
            var push = new Push { Kind = PushKind.Issue, IssueId = 1, CreatedBy = "test", CreatedAt = harness.Clock.GetUtcNow(), QueuedAt = harness.Clock.GetUtcNow() };
            db.Pushes.Add(push);
            await db.SaveChangesAsync();
            var subscriber = await db.Subscribers.SingleAsync(s => s.ChatId == "100");
            db.Deliveries.Add(new Delivery { PushId = push.Id, SubscriberId = subscriber.Id, Channel = Channel.Telegram, Status = status });
            return await db.SaveChangesAsync();
        });

        var text = (await harness.SendAsync("/status", language: language)).ToPlainText();

        Assert.Contains(expected + "\n", text + "\n", StringComparison.Ordinal);
    }

    // The clock stands at Sunday 2026-11-22 12:00 UTC (20:00 in Shanghai); the schedule is the host's own (Quartz cron in the zone given).
    [SkippableTheory]
    [InlineData("0 30 20 ? * FRI", "Europe/Berlin", "Next push: 2026-11-27 20:30 (Europe/Berlin)")]
    [InlineData("0 0 21 ? * SUN", "Asia/Shanghai", "Next push: 2026-11-22 21:00 (Asia/Shanghai)")]
    [InlineData("0 0 8 1 * ?", "America/New_York", "Next push: 2026-12-01 08:00 (America/New_York)")]
    public async Task StatusNamesTheNextPushOfTheConfiguredSchedule(string cron, string zone, string expected)
    {
        await using var harness = await StartAsync(settings: new Dictionary<string, string?> { ["Schedule:WeeklyCron"] = cron, ["Schedule:TimeZone"] = zone });
        await harness.SendAsync("/start");

        var text = (await harness.SendAsync("/status", language: "en")).ToPlainText();

        Assert.Contains(expected, text, StringComparison.Ordinal);
    }

    // The clock stands at Sunday 2026-11-22 12:00 UTC; the weekly slot is Monday 2026-11-23 09:00 in Shanghai (01:00 UTC).
    [SkippableTheory]
    [InlineData(false, "2026-11-22T14:30:00Z", "Next push: 2026-11-22 22:30 (Asia/Shanghai)")]
    [InlineData(true, "2026-11-22T14:30:00Z", "Next push: 2026-11-22 22:30 (Asia/Shanghai)")]
    [InlineData(false, "2026-11-25T02:00:00Z", "Next push: 2026-11-25 10:00 (Asia/Shanghai)")]
    [InlineData(true, "2026-11-25T02:00:00Z", "Next push: 2026-11-23 09:00 (Asia/Shanghai)")]
    public async Task StatusNamesAnIssueScheduledForAMomentWhenItComesFirst(bool anotherReadyForTheWeeklySlot, string moment, string expected)
    {
        await using var harness = await StartAsync();
        await harness.SendAsync("/start");
        await harness.QueryAsync(db =>
        {
            db.Issues.Add(new Issue { Title = "at a moment", ContentHash = "a", Status = IssueStatus.Scheduled, ScheduledFor = DateTimeOffset.Parse(moment, CultureInfo.InvariantCulture) });
            if (anotherReadyForTheWeeklySlot)
                db.Issues.Add(new Issue { Title = "for the weekly slot", ContentHash = "b", Status = IssueStatus.Scheduled });
            return db.SaveChangesAsync();
        });

        var text = (await harness.SendAsync("/status", language: "en")).ToPlainText();

        Assert.Contains(expected, text, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task ExpiredButtonDataGetsAHint()
    {
        await using var harness = await StartAsync();
        Assert.Contains("expired", (await harness.PressAsync("zz:9", language: "en")).ToPlainText(), StringComparison.Ordinal);
    }

    [SkippableTheory]
    [InlineData("/stats")]
    [InlineData("/publish")]
    [InlineData("/broadcast hello")]
    public async Task AnAdminsAnswerAskedForInAGroupIsMarkedForTheirPrivateChat(string text)
    {
        await using var harness = await StartAsync();

        var inGroup = await harness.SendAsync(text, user: CoreHarness.AdminId, chat: "-100", kind: ChatKind.Group, language: "en");
        var inPrivate = await harness.SendAsync(text, user: CoreHarness.AdminId, language: "en");
        var refused = await harness.SendAsync(text, user: "7", chat: "-100", kind: ChatKind.Group, language: "en");

        Assert.True(inGroup.Private);
        Assert.False(inPrivate.Private);
        Assert.False(refused.Private);
        Assert.Equal("This command is for admins only.", refused.ToPlainText());
    }

    [SkippableTheory]
    [InlineData("/topics add moe")]
    [InlineData("/topics clear")]
    [InlineData("/lang en")]
    [InlineData("/subscribe")]
    [InlineData("/start")]
    public async Task WithoutAWayToAskAGroupsAdministratorsItsSettingsStayAsTheyAre(string text)
    {
        await using var harness = await StartAsync();

        var reply = await harness.SendAsync(text, user: "7", chat: "-100", kind: ChatKind.Group, language: "en");

        Assert.Equal("Only this group's administrators can change its subscription, topics and language.", reply.ToPlainText());
        var group = await harness.SubscriberAsync("-100");
        Assert.True(group is null || (group.Status != SubscriberStatus.Active && group.Topics.Count == 0 && !group.LanguageChosen));
    }

    [SkippableFact]
    public async Task AGroupSpeakingAsItselfChangesItsOwnSettings()
    {
        await using var harness = await StartAsync();

        await harness.SendAsync("/start", user: "-100", chat: "-100", kind: ChatKind.Group, language: "en");
        await harness.SendAsync("/topics add moe", user: "-100", chat: "-100", kind: ChatKind.Group, language: "en");

        var group = await harness.SubscriberAsync("-100");
        Assert.Equal(SubscriberStatus.Active, group!.Status);
        Assert.Equal(["moe"], group.Topics.Select(t => t.Topic));
    }

    [SkippableFact]
    public async Task AListedWeChatAdminIsAnAdminOnlyWhenTheMessageBodyWasSigned()
    {
        await using var harness = await StartAsync(settings: new Dictionary<string, string?> { ["Admins:WeChat:0"] = "oAdmin" });

        var unsigned = await harness.HandleAsync(new InboundMessage(Channel.WeChat, "oAdmin", "oAdmin", "stats", LanguageCode: "en"));
        var signed = await harness.HandleAsync(new InboundMessage(Channel.WeChat, "oAdmin", "oAdmin", "stats", LanguageCode: "en") { BodySigned = true });

        Assert.StartsWith("Admin commands are accepted only in safe (or compatible) mode", unsigned.ToPlainText(), StringComparison.Ordinal);
        Assert.Contains("Subscribers:", signed.ToPlainText(), StringComparison.Ordinal);
        Assert.Equal(1, await harness.QueryAsync(db => db.AuditLog.CountAsync(a => a.Action == "stats")));
    }

    /// <summary>Issue 2, one paper, published an hour after the sample: the newest issue from then on.</summary>
    private static Task<int> PublishANewerIssueAsync(CoreHarness harness) => harness.QueryAsync(db =>
    {
        var at = harness.Clock.GetUtcNow().AddHours(1);
        db.Issues.Add(new Issue
        {
            Title = "Second issue", ContentHash = "second", Status = IssueStatus.Published, ImportedAt = at, PublishedAt = at,
            Papers = [new Paper { Number = 1, Title = "The only paper", Summary = "One summary." }],
        });
        return db.SaveChangesAsync();
    });

    [SkippableFact]
    public async Task GroupMessagesWithoutCommandsGetNoReply()
    {
        await using var harness = await StartAsync();
        var reply = await harness.SendAsync("nice paper!", chat: "-100", kind: ChatKind.Group);
        Assert.Empty(reply.Messages);
        Assert.Null(await harness.SubscriberAsync("-100"));
    }
}

public sealed class CommandEngineTestsOnPostgres : CommandEngineTests
{
    protected override string Provider => StorageOptions.Postgres;
}
