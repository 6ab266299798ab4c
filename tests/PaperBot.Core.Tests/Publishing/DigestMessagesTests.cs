using Microsoft.EntityFrameworkCore;
using PaperBot.Core.Commands;
using PaperBot.Core.Publishing;
using PaperBot.Core.Sending;
using PaperBot.Core.Subscribers;

namespace PaperBot.Core.Tests.Publishing;

// Once an issue's WeChat article is out, the push points to it: in chats and in channel posts.
public sealed class DigestMessagesTests
{
    [Theory]
    [InlineData(ChatKind.Private, "zh", "📖 阅读原文")]
    [InlineData(ChatKind.Channel, "zh", "📖 阅读原文")]
    [InlineData(ChatKind.Private, "en", "📖 Read the article")]
    public async Task APushLinksToTheIssuesArticleOnceItIsPublished(ChatKind kind, string language, string label)
    {
        await using var harness = await CoreHarness.StartAsync();
        await harness.QueryAsync(db => db.Issues.Where(i => i.Id == 1).ExecuteUpdateAsync(i => i.SetProperty(x => x.ArticleUrl, "https://mp.weixin.qq.com/s/8yzT20EvmDg37Jso9nsIIw")));
        var issue = await harness.QueryAsync(db => db.Issues.AsNoTracking().Include(i => i.Papers).ThenInclude(p => p.Topics).SingleAsync(i => i.Id == 1));
        var push = new Push { Kind = PushKind.Issue, IssueId = 1, Issue = issue, CreatedBy = "test" };

        var message = Assert.Single(await harness.UseAsync<DigestMessages, IReadOnlyList<ReplyMessage>>(d => Task.FromResult(d.For(push, new Recipient(1, Channel.Telegram, "42", kind, language), new HashSet<string>()))));

        var link = Assert.Single(message.Lines.SelectMany(l => l.Spans), s => s.Text == label);
        Assert.Equal(("https://mp.weixin.qq.com/s/8yzT20EvmDg37Jso9nsIIw", SpanStyle.Link), (link.Url, link.Style));
        Assert.Equal(1, message.Issue);
    }

    [Fact]
    public async Task BeforeTheArticleIsOutThePushHasNoArticleLink()
    {
        await using var harness = await CoreHarness.StartAsync();
        var issue = await harness.QueryAsync(db => db.Issues.AsNoTracking().Include(i => i.Papers).ThenInclude(p => p.Topics).SingleAsync(i => i.Id == 1));
        var push = new Push { Kind = PushKind.Issue, IssueId = 1, Issue = issue, CreatedBy = "test" };

        var message = Assert.Single(await harness.UseAsync<DigestMessages, IReadOnlyList<ReplyMessage>>(d => Task.FromResult(d.For(push, new Recipient(1, Channel.Telegram, "42", ChatKind.Private, "zh"), new HashSet<string>()))));

        Assert.DoesNotContain("阅读原文", message.ToPlainText(), StringComparison.Ordinal);
    }
}
