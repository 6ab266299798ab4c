using System.Net;
using PaperBot.Tests.Channels.WeChat;

namespace PaperBot.Tests.Admin;

/// <summary>An address naming an issue that is not there, as a stale tab or a typed number leaves it.</summary>
public sealed class UnknownIssueTests
{
    [Theory]
    [InlineData("/admin/issues/999?handler=Topics")]
    [InlineData("/admin/issues/999/article?handler=Draft")]
    [InlineData("/admin/issues/999/article?handler=Publish")]
    public async Task AnActionOnAnIssueThatIsNotThereAnswers404AndLeavesNoNoticeForTheNextPage(string url)
    {
        // With the WeChat API configured, so the article steps get as far as looking for the issue.
        await using var host = await WeChatHost.StartAsync(AdminSession.WithPassword());
        var admin = AdminSession.For(host.App);
        await admin.LogInAsync();

        var response = await admin.PostAsync(url, [new("number", "1"), new("topics", "agents")]);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var dashboard = await admin.Client.GetStringAsync("/admin");
        Assert.DoesNotContain("role=\"alert\"", dashboard, StringComparison.Ordinal);
        Assert.DoesNotContain("role=\"status\"", dashboard, StringComparison.Ordinal);
    }
}
