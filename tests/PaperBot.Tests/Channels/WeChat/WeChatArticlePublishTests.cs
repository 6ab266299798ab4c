using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PaperBot.Channels.WeChat.Articles;
using PaperBot.Core.Issues;
using PaperBot.Core.Publishing;
using PaperBot.Core.Sending;
using PaperBot.TestServices;
using PaperBot.Tests.Admin;
using PaperBot.Tests.Cli;
using PaperBot.WeChat;
using SkiaSharp;
using ClusterLease = PaperBot.Core.Data.ClusterLease;
using StorageOptions = PaperBot.Core.Data.StorageOptions;

namespace PaperBot.Tests.Channels.WeChat;

// The issue's article through the platform over real HTTP: cover, draft, one mass send, WeChat's report, and what an
// admin reads when WeChat says no.
public sealed class WeChatArticlePublishTests
{
    private const string Author = "PaperBot 编辑部";

    [SkippableFact]
    public async Task PublishingAnIssueDraftsItAndMassSendsTheArticleOnceAndWeChatsReportBringsItsAddress()
    {
        Requirements.CjkFont();
        await using var host = await WeChatHost.StartAsync(ArticleMode());
        await host.FollowAsync("oAlice");
        await host.FollowAsync("oBob");

        var issue = await host.PublishNextIssueAsync();

        Assert.True(await host.DeliveryBecomesAsync("oAlice", issue, DeliveryStatus.Sent));
        Assert.True(await host.DeliveryBecomesAsync("oBob", issue, DeliveryStatus.Sent));
        var material = Assert.Single(host.Api.Accepted(FakeWeChatApi.AddMaterial));
        Assert.Equal("image", material.Query["type"]);
        Assert.Equal("cover.png", material.Upload!.FileName);
        Assert.Equal([0x89, 0x50, 0x4E, 0x47], material.Upload.Content[..4]);
        Assert.Single(host.Api.Accepted(FakeWeChatApi.UploadImage));
        var article = Assert.Single(host.Api.Accepted(FakeWeChatApi.DraftAdd)).Json.GetProperty("articles")[0];
        Assert.Equal("第2期｜本周值得关注的大模型 / AIGC 前沿研究", article.GetProperty("title").GetString());
        Assert.Equal(Author, article.GetProperty("author").GetString());
        Assert.StartsWith("本期 14 篇：超越 RNN:Google DeepMind 提出高效开放语言模型；仅用 10 万美元", article.GetProperty("digest").GetString(), StringComparison.Ordinal);
        Assert.Equal("https://papers.example.org/issues/2", article.GetProperty("content_source_url").GetString());
        Assert.Equal("MATERIAL_1_6XvVazVT3F4qsVQ", article.GetProperty("thumb_media_id").GetString());
        Assert.Contains("""<img src="http://mmbiz.qpic.cn/mmbiz_png/IMG2/0" """.TrimEnd(), article.GetProperty("content").GetString(), StringComparison.Ordinal);

        var send = Assert.Single(host.Api.CallsTo(FakeWeChatApi.MassSendAll)).Json;
        Assert.True(send.GetProperty("filter").GetProperty("is_to_all").GetBoolean());
        Assert.Equal("mpnews", send.GetProperty("msgtype").GetString());
        Assert.Equal("DRAFT_3_W3LbAkFlGjJ3fGGam", send.GetProperty("mpnews").GetProperty("media_id").GetString());
        Assert.Equal(1, send.GetProperty("send_ignore_reprint").GetInt32());
        Assert.Matches("^paperbot-issue-2-[0-9a-f]{16}$", send.GetProperty("clientmsgid").GetString());
        Assert.Equal(1, host.Api.Articles.MassSendsExecuted);
        Assert.Empty(host.Api.CallsTo(FakeWeChatApi.PublishSubmit));
        Assert.Empty(host.Api.Articles.Drafts);

        Assert.Equal("success", await host.SendAsync(MassSendReport(3_147_483_001, "http://mp.weixin.qq.com/s/8yzT20EvmDg37Jso9nsIIw")));

        var stored = await host.App.QueryAsync(db => db.IssueArticles.AsNoTracking().SingleAsync(a => a.IssueId == 2));
        Assert.Equal(3_147_483_001, stored.MassSendMsgId);
        Assert.Equal(("send success", 2, 2, 0), (stored.MassSendStatus, stored.TotalCount, stored.SentCount, stored.ErrorCount));
        using var json = JsonDocument.Parse(await host.Client.GetStringAsync("/api/issues/2"));
        Assert.Equal("http://mp.weixin.qq.com/s/8yzT20EvmDg37Jso9nsIIw", json.RootElement.GetProperty("articleUrl").GetString());
        var latest = await host.SayAsync("oAlice", "最新");
        Assert.Contains("""<a href="http://mp.weixin.qq.com/s/8yzT20EvmDg37Jso9nsIIw">📖 阅读原文</a>""", latest.Content, StringComparison.Ordinal);
        var page = await host.Client.GetStringAsync("/issues/2");
        Assert.Contains("""href="http://mp.weixin.qq.com/s/8yzT20EvmDg37Jso9nsIIw" rel="noopener" id="read-article">📖 阅读原文 ↗</a>""", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMassSendWhoseAnswerWasLostIsRepeatedWithTheSameClientMsgIdAndGoesOutOnce()
    {
        await using var host = await WeChatHost.StartAsync(ArticleMode(cover: await CoverFileAsync()));
        host.Api.DropAnswer = call => call.Path == FakeWeChatApi.MassSendAll && host.Api.CallsTo(FakeWeChatApi.MassSendAll).Count == 1;
        await host.FollowAsync("oAlice");
        await host.FollowAsync("oBob");

        var issue = await host.PublishNextIssueAsync();

        Assert.True(await host.DeliveryBecomesAsync("oAlice", issue, DeliveryStatus.Sent));
        Assert.True(await host.DeliveryBecomesAsync("oBob", issue, DeliveryStatus.Sent));
        var sends = host.Api.CallsTo(FakeWeChatApi.MassSendAll);
        Assert.Equal(2, sends.Count);
        Assert.Equal(sends[0].Json.GetProperty("clientmsgid").GetString(), sends[1].Json.GetProperty("clientmsgid").GetString());
        Assert.Equal("""{"errcode":45065,"errmsg":"clientmsgid exist","msg_id":3147483001}""", sends[1].Response);
        Assert.Equal(1, host.Api.Articles.MassSendsExecuted);
        Assert.Single(host.Api.Accepted(FakeWeChatApi.DraftAdd));
        var stored = await host.App.QueryAsync(db => db.IssueArticles.AsNoTracking().SingleAsync(a => a.IssueId == issue));
        Assert.Equal(3_147_483_001, stored.MassSendMsgId);
        Assert.Null(stored.LastError);
    }

    [Fact]
    public async Task AMassSendThePlatformsCheckStoppedIsShownToTheAdminAndNeverCountedAsSent()
    {
        var settings = ArticleMode(cover: await CoverFileAsync());
        settings["Admin:Password"] = AdminSession.Password;
        await using var host = await WeChatHost.StartAsync(settings);
        var issue = await ImportAsync(host);
        var publisher = host.App.Services.GetRequiredService<ArticlePublisher>();
        Assert.Equal(new ArticleOutcome.MassSent(3_147_483_001, Earlier: false), await publisher.PublishAsync(issue, "test", CancellationToken.None));

        Assert.Equal("success", await host.SendAsync(MassSendReport(3_147_483_001, url: null, status: "err(10001)", sent: 0)));

        const string reason = "WeChat did not mass-send the article (msg_id 3147483001): the platform's check suspects advertising (涉嫌广告); status err(10001). "
            + "No follower got it; 发表记录 on the platform shows the refusal: correct the article there and send it from there";
        var stored = await host.App.QueryAsync(db => db.IssueArticles.AsNoTracking().SingleAsync(a => a.IssueId == issue));
        Assert.Equal(reason, stored.LastError);
        Assert.Null(stored.PublishedAt);
        Assert.Equal(new ArticleOutcome.Refused(reason), await publisher.PublishAsync(issue, "test", CancellationToken.None));
        Assert.Equal(new ArticleOutcome.Refused(reason), await publisher.SaveDraftAsync(issue, "test", CancellationToken.None));
        var admin = AdminSession.For(host.App);
        await admin.LogInAsync();
        var page = WebUtility.HtmlDecode(await admin.FollowAsync(await admin.PostAsync($"/admin/issues/{issue}/article?handler=Publish", [], $"/admin/issues/{issue}/article")));
        Assert.Contains(reason, page, StringComparison.Ordinal);
        Assert.Contains("<tr><th>Published</th><td>no</td></tr>", page, StringComparison.Ordinal);
        Assert.Equal(1, host.Api.Articles.MassSendsExecuted);
        Assert.Single(host.Api.Accepted(FakeWeChatApi.DraftAdd));
    }

    [Fact]
    public async Task SavingTheDraftWhileAMassSendAwaitsItsAnswerLeavesNoSecondDraftInTheDraftBox()
    {
        await using var host = await WeChatHost.StartAsync(ArticleMode(cover: await CoverFileAsync()));
        host.Api.DropAnswer = call => call.Path == FakeWeChatApi.MassSendAll && host.Api.CallsTo(FakeWeChatApi.MassSendAll).Count == 1;
        var issue = await ImportAsync(host);
        var publisher = host.App.Services.GetRequiredService<ArticlePublisher>();
        Assert.IsType<ArticleOutcome.Refused>(await publisher.PublishAsync(issue, "test", CancellationToken.None));

        var saved = await publisher.SaveDraftAsync(issue, "test", CancellationToken.None);

        var refused = Assert.IsType<ArticleOutcome.Refused>(saved);
        Assert.EndsWith(" UTC got no answer; publish again to finish it (WeChat recognises the repeat and sends nothing twice)", refused.Reason, StringComparison.Ordinal);
        Assert.Equal(new ArticleOutcome.MassSent(3_147_483_001, Earlier: true), await publisher.PublishAsync(issue, "test", CancellationToken.None));
        Assert.Single(host.Api.Accepted(FakeWeChatApi.DraftAdd));
        Assert.Empty(host.Api.Articles.Drafts);
        Assert.Equal(1, host.Api.Articles.MassSendsExecuted);
    }

    [Fact]
    public async Task WithoutTheRightToMassSendTheArticleIsPublishedAndOfferedWithEachSubscribersNextMessage()
    {
        await using var host = await WeChatHost.StartAsync(ArticleMode(cover: await CoverFileAsync()),
            respond: call => call.Path == FakeWeChatApi.MassSendAll ? FakeWeChatApi.ApiUnauthorized : null);
        await host.FollowAsync("oAlice");

        var issue = await host.PublishNextIssueAsync();

        Assert.True(await host.DeliveryBecomesAsync("oAlice", issue, DeliveryStatus.Waiting));
        Assert.Single(host.Api.Accepted(FakeWeChatApi.PublishSubmit));
        Assert.Equal(2, host.Api.CallsTo(FakeWeChatApi.PublishGet).Count);
        Assert.Equal(0, host.Api.Articles.MassSendsExecuted);
        Assert.Equal("https://mp.weixin.qq.com/s/published-2247503004",
            await host.App.QueryAsync(db => db.Issues.Where(i => i.Id == issue).Select(i => i.ArticleUrl).SingleAsync()));

        var reply = await host.SayAsync("oAlice", "帮助");
        Assert.Contains($"📬 第 {issue} 期", reply.Content, StringComparison.Ordinal);
        Assert.Equal(DeliveryStatus.Sent, await host.DeliveryStatusAsync("oAlice", issue));
    }

    [Fact]
    public async Task APublishWhoseAnswerWasLostIsNotPublishedTwice()
    {
        await using var host = await WeChatHost.StartAsync(ArticleMode(cover: await CoverFileAsync()),
            respond: call => call.Path == FakeWeChatApi.MassSendAll ? FakeWeChatApi.ApiUnauthorized : null);
        host.Api.DropAnswer = call => call.Path == FakeWeChatApi.PublishSubmit && host.Api.CallsTo(FakeWeChatApi.PublishSubmit).Count == 1;
        await host.FollowAsync("oAlice");

        var issue = await host.PublishNextIssueAsync();

        Assert.True(await host.DeliveryBecomesAsync("oAlice", issue, DeliveryStatus.Waiting));
        var submits = host.Api.CallsTo(FakeWeChatApi.PublishSubmit);
        Assert.Equal(2, submits.Count);
        Assert.Equal(submits[0].Json.GetProperty("media_id").GetString(), submits[1].Json.GetProperty("media_id").GetString());
        Assert.Equal(FakeWeChatApi.InvalidMediaId, submits[1].Response);
        Assert.Single(host.Api.Accepted(FakeWeChatApi.PublishSubmit));
        Assert.Single(host.Api.Accepted(FakeWeChatApi.DraftAdd));
        var stored = await host.App.QueryAsync(db => db.IssueArticles.AsNoTracking().SingleAsync(a => a.IssueId == issue));
        Assert.NotNull(stored.PublishedAt);
        Assert.Contains("got no answer, and its draft has left the draft box: WeChat most likely published it then. Check 发表记录 on the platform; nothing was published again", stored.LastError, StringComparison.Ordinal);

        var again = await host.App.Services.GetRequiredService<ArticlePublisher>().PublishAsync(issue, "test", CancellationToken.None);
        Assert.IsType<ArticleOutcome.Published>(again);
        Assert.Equal(2, host.Api.CallsTo(FakeWeChatApi.PublishSubmit).Count);
    }

    // Each delivery its own group (Delivery:MaxBatch 1), and every group asks the publisher: WeChat's refusal answers
    // them all, and only an admin's publish submits the article again.
    [Fact]
    public async Task APublishWeChatRefusedIsNotSubmittedAgainByThePushButAnAdminsPublishTriesAgain()
    {
        await using var host = await HostRefusingEveryPublishAsync();
        string[] readers = ["oAlice", "oBob", "oCarol"];
        var issue = await PushEveryReaderFailsAsync(host, readers);

        Assert.Single(host.Api.CallsTo(FakeWeChatApi.PublishSubmit));
        Assert.Single(host.Api.CallsTo(FakeWeChatApi.DraftAdd));
        var reason = "WeChat did not publish the article: the platform's review rejected it (平台审核不通过). The push does not submit it again: "
            + $"correct it if need be and publish it from the article page (or: article {issue} --publish)";
        foreach (var reader in readers)
            Assert.Equal(reason, await LastErrorAsync(host, reader, issue));
        var admin = AdminSession.For(host.App);
        await admin.LogInAsync();
        Assert.Contains(reason, WebUtility.HtmlDecode(await admin.Client.GetStringAsync($"/admin/issues/{issue}/article")), StringComparison.Ordinal);

        host.Api.Articles.PublishFailsWith = null;
        var page = WebUtility.HtmlDecode(await admin.FollowAsync(await admin.PostAsync($"/admin/issues/{issue}/article?handler=Publish", [], $"/admin/issues/{issue}/article")));

        var submits = host.Api.Accepted(FakeWeChatApi.PublishSubmit);
        Assert.Equal(2, submits.Count);
        var url = FakeArticles.ArticleUrl(JsonDocument.Parse(submits[1].Response).RootElement.GetProperty("publish_id").GetString()!);
        Assert.Contains($"Issue {issue}'s article is published: {url}", page, StringComparison.Ordinal);
        var stored = await host.App.QueryAsync(db => db.IssueArticles.AsNoTracking().SingleAsync(a => a.IssueId == issue));
        Assert.Null(stored.PublishRefusedStatus);
        Assert.Null(stored.LastError);
        Assert.NotNull(stored.PublishedAt);
    }

    // WeChat refuses the first publishing job and accepts the second, the admin's: the readers whose deliveries the
    // refusal failed are offered the published article, like a /resend; one that failed for another reason stays failed.
    [Fact]
    public async Task AnAdminsPublishAfterWeChatRefusedTheArticleQueuesAgainOnlyTheDeliveriesTheRefusalFailed()
    {
        await using var host = await HostRefusingEveryPublishAsync();
        string[] readers = ["oAlice", "oBob", "oCarol"];
        var issue = await PushEveryReaderFailsAsync(host, readers);
        const string otherReason = "gave up after 5 attempts: WeChat errcode -1 (system busy)";
        await host.App.QueryAsync(db => db.DeliveriesOfIssue(issue).To(db, "oCarol").ExecuteUpdateAsync(d => d.SetProperty(x => x.LastError, otherReason)));

        host.Api.Articles.PublishFailsWith = null;
        var admin = AdminSession.For(host.App);
        await admin.LogInAsync();
        var page = WebUtility.HtmlDecode(await admin.FollowAsync(await admin.PostAsync($"/admin/issues/{issue}/article?handler=Publish", [], $"/admin/issues/{issue}/article")));

        var url = FakeArticles.ArticleUrl(JsonDocument.Parse(host.Api.Accepted(FakeWeChatApi.PublishSubmit)[1].Response).RootElement.GetProperty("publish_id").GetString()!);
        Assert.Contains($"Issue {issue}'s article is published: {url}; 2 deliveries that failed because WeChat did not publish the article are queued again", page, StringComparison.Ordinal);
        Assert.True(await host.DeliveryBecomesAsync("oAlice", issue, DeliveryStatus.Waiting));
        Assert.True(await host.DeliveryBecomesAsync("oBob", issue, DeliveryStatus.Waiting));
        Assert.Equal(DeliveryStatus.Failed, await host.DeliveryStatusAsync("oCarol", issue));
        Assert.Equal(otherReason, await LastErrorAsync(host, "oCarol", issue));
        var audited = await QueuedAgainByTheAdminAndOfferedAsync(host, issue, "oAlice");
        Assert.StartsWith($"issue {issue}: 2 deliveries of push ", audited, StringComparison.Ordinal);
        Assert.Equal(2, host.Api.Accepted(FakeWeChatApi.PublishSubmit).Count);
    }

    // After WeChat refused the push's publishing job, the admin's publish is submitted and its answer lost; the admin's
    // repeat is answered 40007 (the lost submit took the draft) and the article is taken as published: the readers the
    // refusal failed are offered it as after a confirmed publish, and nobody has to /resend by hand.
    [Fact]
    public async Task AnAdminsPublishTakenAsPublishedAfterItsDraftLeftTheDraftBoxQueuesAgainTheDeliveriesTheRefusalFailed()
    {
        await using var host = await HostRefusingEveryPublishAsync();
        string[] readers = ["oAlice", "oBob"];
        var issue = await PushEveryReaderFailsAsync(host, readers);
        host.Api.Articles.PublishFailsWith = null;
        host.Api.DropAnswer = call => call.Path == FakeWeChatApi.PublishSubmit && host.Api.CallsTo(FakeWeChatApi.PublishSubmit).Count == 2;
        var admin = AdminSession.For(host.App);
        await admin.LogInAsync();
        var lost = WebUtility.HtmlDecode(await admin.FollowAsync(await admin.PostAsync($"/admin/issues/{issue}/article?handler=Publish", [], $"/admin/issues/{issue}/article")));
        Assert.DoesNotContain("queued again", lost, StringComparison.Ordinal);
        Assert.Equal(DeliveryStatus.Failed, await host.DeliveryStatusAsync("oAlice", issue));

        var page = WebUtility.HtmlDecode(await admin.FollowAsync(await admin.PostAsync($"/admin/issues/{issue}/article?handler=Publish", [], $"/admin/issues/{issue}/article")));

        var submits = host.Api.CallsTo(FakeWeChatApi.PublishSubmit);
        Assert.Equal(3, submits.Count);
        Assert.Equal(FakeWeChatApi.InvalidMediaId, submits[2].Response);
        Assert.Contains("its draft has left the draft box: WeChat most likely published it then. Check 发表记录 on the platform; nothing was published again"
            + "; 2 deliveries that failed because WeChat did not publish the article are queued again", page, StringComparison.Ordinal);
        Assert.True(await host.DeliveryBecomesAsync("oAlice", issue, DeliveryStatus.Waiting));
        Assert.True(await host.DeliveryBecomesAsync("oBob", issue, DeliveryStatus.Waiting));
        await QueuedAgainByTheAdminAndOfferedAsync(host, issue, "oBob");
        Assert.Equal(2, host.Api.Accepted(FakeWeChatApi.PublishSubmit).Count);
    }

    /// <summary>
    /// The deliveries WeChat's refusal failed were queued again by the admin, in one audited resend, and
    /// <paramref name="reader"/>'s next message carries the issue. Returns the audit entry's detail.
    /// </summary>
    private static async Task<string> QueuedAgainByTheAdminAndOfferedAsync(WeChatHost host, int issue, string reader)
    {
        var audit = await host.App.QueryAsync(db => db.AuditLog.Where(e => e.Action == "resend").Select(e => new { e.Actor, e.Detail }).SingleAsync());
        Assert.Equal(PaperBot.Admin.AdminLogin.Actor, audit.Actor);
        Assert.EndsWith(" queued again, those of WeChat that failed with: WeChat did not publish the article", audit.Detail, StringComparison.Ordinal);

        var reply = await host.SayAsync(reader, "帮助");
        Assert.Contains($"📬 第 {issue} 期", reply.Content, StringComparison.Ordinal);
        Assert.Equal(DeliveryStatus.Sent, await host.DeliveryStatusAsync(reader, issue));
        return audit.Detail;
    }

    // freepublish/get answers 5 (成功后用户删除所有文章) or 6 (成功后系统封禁所有文章) once the published article is deleted
    // on the platform or blocked by it: the job published it, so the push's readers are offered the issue as after any
    // publish, and neither the push nor an admin's publish brings a deleted or blocked article out again unasked.
    [Theory]
    [InlineData(5, "WeChat published the article, and it has been deleted on the platform since (publish_status 5)")]
    [InlineData(6, "WeChat published the article, and the platform has blocked it since (publish_status 6, 系统封禁)")]
    public async Task AnArticleDeletedOrBlockedAfterItsPublishIsReportedSoAndNeitherFailsItsReadersNorIsPublishedAgain(int status, string reason)
    {
        var settings = ArticleMode(cover: await CoverFileAsync());
        settings["Admin:Password"] = AdminSession.Password;
        await using var host = await WeChatHost.StartAsync(settings,
            respond: call => call.Path == FakeWeChatApi.MassSendAll ? FakeWeChatApi.ApiUnauthorized : null);
        host.Api.Articles.PublishFailsWith = status;
        await host.FollowAsync("oAlice");

        var issue = await host.PublishNextIssueAsync();

        Assert.True(await host.DeliveryBecomesAsync("oAlice", issue, DeliveryStatus.Waiting));
        var stored = await host.App.QueryAsync(db => db.IssueArticles.AsNoTracking().SingleAsync(a => a.IssueId == issue));
        Assert.NotNull(stored.PublishedAt);
        Assert.Null(stored.PublishRefusedStatus);
        Assert.StartsWith(reason, stored.LastError, StringComparison.Ordinal);
        var admin = AdminSession.For(host.App);
        await admin.LogInAsync();
        var page = WebUtility.HtmlDecode(await admin.FollowAsync(await admin.PostAsync($"/admin/issues/{issue}/article?handler=Publish", [], $"/admin/issues/{issue}/article")));
        Assert.Contains(reason, page, StringComparison.Ordinal);
        Assert.DoesNotContain("did not publish", page, StringComparison.Ordinal);
        Assert.Single(host.Api.CallsTo(FakeWeChatApi.PublishSubmit));
        Assert.Single(host.Api.CallsTo(FakeWeChatApi.DraftAdd));

        var reply = await host.SayAsync("oAlice", "帮助");
        Assert.Contains($"📬 第 {issue} 期", reply.Content, StringComparison.Ordinal);
    }

    // The `article` verb beside the running bot (SQLite), or a second instance running a group of the push
    // (PostgreSQL): each has its own publisher. draft/add takes a second, so without a guard across processes the bot
    // would find no draft while the verb adds one, add its own, and publish the article a second time. The verb reads
    // the bot's configuration, Delivery__InstanceId too when the operator set it, and is still not the bot.
    [SkippableTheory]
    [InlineData(StorageOptions.Sqlite, null)]
    [InlineData(StorageOptions.Postgres, null)]
    [InlineData(StorageOptions.Sqlite, "paperbot-a")]
    [InlineData(StorageOptions.Postgres, "paperbot-a")]
    public async Task PublishingTheArticleFromTwoProcessesAtOnceDraftsAndSubmitsItOnce(string provider, string? instanceId)
    {
        var settings = ArticleMode(cover: await CoverFileAsync());
        if (instanceId is not null)
            settings["Delivery:InstanceId"] = instanceId;
        if (provider == StorageOptions.Postgres)
        {
            Requirements.Postgres();
            settings["Storage:Provider"] = StorageOptions.Postgres;
        }

        await using var host = await WeChatHost.StartAsync(settings,
            respond: call => call.Path == FakeWeChatApi.MassSendAll ? FakeWeChatApi.ApiUnauthorized : null);
        host.Api.Delay = call => call.Path == FakeWeChatApi.DraftAdd ? TimeSpan.FromSeconds(1) : TimeSpan.Zero;
        var issue = await ImportAsync(host);
        // A running bot has its access token in the database already, where the verb finds it.
        await host.App.Services.GetRequiredService<WeChatApiClient>().GetAccessTokenAsync();
        var verb = CliRunner.RunInAsync(Beside(host, settings), "article", issue.ToString(CultureInfo.InvariantCulture), "--publish");
        await host.Api.WaitForCallsAsync(FakeWeChatApi.UploadImage, 1, TimeSpan.FromSeconds(30));
        var publisher = host.App.Services.GetRequiredService<ArticlePublisher>();

        var meanwhile = await publisher.PublishAsync(issue, "test", CancellationToken.None);
        var (exit, output, error) = await verb;

        Assert.Single(host.Api.CallsTo(FakeWeChatApi.DraftAdd));
        var submit = Assert.Single(host.Api.CallsTo(FakeWeChatApi.PublishSubmit));
        var busy = Assert.IsType<ArticleOutcome.Busy>(meanwhile);
        Assert.Matches(instanceId is null
            ? @"^the article is being published by another instance \([^:]+:[0-9a-f]{8}\) right now; try again in a minute$"
            : $@"^the article is being published by another instance \({instanceId}-cli:[0-9a-f]{{8}}\) right now; try again in a minute$", busy.Reason);
        Assert.True(exit == 0, error);
        var url = FakeArticles.ArticleUrl(JsonDocument.Parse(submit.Response).RootElement.GetProperty("publish_id").GetString()!);
        Assert.Equal($"issue {issue}'s article is published: {url}", output.Trim());
        Assert.Equal(new ArticleOutcome.Published(url), await publisher.PublishAsync(issue, "test", CancellationToken.None));
        Assert.Single(host.Api.CallsTo(FakeWeChatApi.PublishSubmit));
    }

    // The bot and the `article` verb beside it (on the bot's SQLite file) need an access token at once: none is stored
    // yet, or the stored one has run out. WeChat keeps one token per account and a new one invalidates the last after
    // five minutes: one of them fetches it, the other waits for it and uses the stored one.
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task TheBotAndAVerbBesideItNeedingAnAccessTokenAtOnceFetchOneAndBothUseIt(bool storedOneRanOut)
    {
        var settings = ArticleMode(cover: await CoverFileAsync());
        await using var host = await WeChatHost.StartAsync(settings,
            respond: call => call.Path == FakeWeChatApi.MassSendAll ? FakeWeChatApi.ApiUnauthorized : null);
        var issue = await ImportAsync(host);
        await host.Api.WaitForCallsAsync(FakeWeChatApi.MenuCreate, 1);
        if (storedOneRanOut)
            await host.App.QueryAsync(db => db.ApiTokens.ExecuteUpdateAsync(t => t.SetProperty(x => x.ExpiresAt, DateTimeOffset.UtcNow.AddMinutes(-1))));
        else
            await host.App.QueryAsync(db => db.ApiTokens.ExecuteDeleteAsync());
        var before = host.Api.CallsTo(FakeWeChatApi.Token).Count;
        var asked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        host.Api.TokenDelay = TimeSpan.FromSeconds(2);
        host.Api.Delay = call =>
        {
            if (call.Path == FakeWeChatApi.Token)
                asked.TrySetResult();
            return TimeSpan.Zero;
        };

        var verb = CliRunner.RunInAsync(Beside(host, settings), "article", issue.ToString(CultureInfo.InvariantCulture), "--publish");
        await asked.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var token = await host.App.Services.GetRequiredService<WeChatApiClient>().GetAccessTokenAsync();
        var (exit, _, error) = await verb;

        Assert.True(exit == 0, error);
        var fetched = Assert.Single(host.Api.CallsTo(FakeWeChatApi.Token).Skip(before));
        Assert.Contains(token.Value, fetched.Response, StringComparison.Ordinal);
        Assert.Equal(token.Value, Assert.Single(host.Api.CallsTo(FakeWeChatApi.DraftAdd)).AccessToken);
        Assert.Single(host.Api.Accepted(FakeWeChatApi.PublishSubmit));
    }

    [Fact]
    public async Task APushFindingTheArticleBeingPublishedByAnotherInstanceTriesAgainLaterWithoutFailing()
    {
        await using var host = await WeChatHost.StartAsync(ArticleMode(cover: await CoverFileAsync()));
        await host.FollowAsync("oAlice");
        var issue = await ImportAsync(host);
        var until = DateTimeOffset.UtcNow + ArticlePublisher.StepLease;
        await host.App.QueryAsync(async db =>
        {
            db.ClusterLeases.Add(new ClusterLease { Name = ArticlePublisher.LeaseName(issue), Holder = "paperbot-b:0a1b2c3d", ExpiresAt = until });
            return await db.SaveChangesAsync();
        });

        await using (var scope = host.App.Services.CreateAsyncScope())
            Assert.IsType<PublishOutcome.Published>(await scope.ServiceProvider.GetRequiredService<IssuePublisher>().PublishAsync(issue, "test", CancellationToken.None));

        await Eventually.AssertAsync(async () => await LastErrorAsync(host, "oAlice", issue) is not null, "the delivery's reason");
        Assert.Equal("the article is being published by another instance (paperbot-b:0a1b2c3d) right now; try again in a minute", await LastErrorAsync(host, "oAlice", issue));
        var delivery = await host.App.QueryAsync(db => db.DeliveriesOfIssue(issue).To(db, "oAlice").Select(d => new { d.Status, d.Attempts, d.NextAttemptAt }).SingleAsync());
        Assert.Equal((DeliveryStatus.Pending, 0), (delivery.Status, delivery.Attempts));
        Assert.True(delivery.NextAttemptAt > DateTimeOffset.UtcNow + TimeSpan.FromSeconds(20), $"next attempt at {delivery.NextAttemptAt:O}");
        Assert.Empty(host.Api.CallsTo(FakeWeChatApi.DraftAdd));
    }

    // A process crashed in the middle of a mass send: WeChat took it, the answer never came back, and the article's
    // lease is left in the database, held by a name no process uses. Until it runs out the article is busy; after
    // its five minutes the next publish takes it and goes on where the step stopped: the same clientmsgid, which
    // WeChat answers with the send it already made.
    [SkippableTheory]
    [InlineData(StorageOptions.Sqlite)]
    [InlineData(StorageOptions.Postgres)]
    public async Task AfterAProcessCrashedHoldingTheArticleTheNextPublishGoesOnWhereItStoppedOnceTheLeaseRunsOut(string provider)
    {
        var settings = ArticleMode(cover: await CoverFileAsync());
        if (provider == StorageOptions.Postgres)
        {
            Requirements.Postgres();
            settings["Storage:Provider"] = StorageOptions.Postgres;
        }

        await using var host = await WeChatHost.StartAsync(settings);
        host.Api.DropAnswer = call => call.Path == FakeWeChatApi.MassSendAll && host.Api.CallsTo(FakeWeChatApi.MassSendAll).Count == 1;
        var issue = await ImportAsync(host);
        var publisher = host.App.Services.GetRequiredService<ArticlePublisher>();
        Assert.IsType<ArticleOutcome.Refused>(await publisher.PublishAsync(issue, "test", CancellationToken.None));
        var lease = ArticlePublisher.LeaseName(issue);
        await host.App.QueryAsync(async db =>
        {
            db.ClusterLeases.Add(new ClusterLease { Name = lease, Holder = "paperbot-gone:0a1b2c3d", ExpiresAt = DateTimeOffset.UtcNow + ArticlePublisher.StepLease });
            return await db.SaveChangesAsync();
        });

        var busy = await publisher.PublishAsync(issue, "test", CancellationToken.None);
        await host.App.QueryAsync(db => db.ClusterLeases.Where(l => l.Name == lease)
            .ExecuteUpdateAsync(l => l.SetProperty(x => x.ExpiresAt, DateTimeOffset.UtcNow - TimeSpan.FromSeconds(1))));
        var resumed = await publisher.PublishAsync(issue, "test", CancellationToken.None);

        Assert.Equal(new ArticleOutcome.Busy("the article is being published by another instance (paperbot-gone:0a1b2c3d) right now; try again in a minute"), busy);
        Assert.Equal(new ArticleOutcome.MassSent(3_147_483_001, Earlier: true), resumed);
        var sends = host.Api.CallsTo(FakeWeChatApi.MassSendAll);
        Assert.Equal(2, sends.Count);
        Assert.Equal(sends[0].Json.GetProperty("clientmsgid").GetString(), sends[1].Json.GetProperty("clientmsgid").GetString());
        Assert.Equal(1, host.Api.Articles.MassSendsExecuted);
        Assert.Single(host.Api.Accepted(FakeWeChatApi.DraftAdd));
        Assert.False(await host.App.QueryAsync(db => db.ClusterLeases.AnyAsync(l => l.Name == lease)));
        var stored = await host.App.QueryAsync(db => db.IssueArticles.AsNoTracking().SingleAsync(a => a.IssueId == issue));
        Assert.Equal(3_147_483_001, stored.MassSendMsgId);
        Assert.Null(stored.LastError);
    }

    [Fact]
    public async Task APublishWeChatTookButWillNotReportOnTellsTheAdminSoInsteadOfFailingThePage()
    {
        var settings = ArticleMode(cover: await CoverFileAsync());
        settings["Admin:Password"] = AdminSession.Password;
        await using var host = await WeChatHost.StartAsync(settings,
            respond: call => call.Path is FakeWeChatApi.MassSendAll or FakeWeChatApi.PublishGet ? FakeWeChatApi.ApiUnauthorized : null);
        var issue = await ImportAsync(host);
        var admin = AdminSession.For(host.App);
        await admin.LogInAsync();

        var published = await admin.PostAsync($"/admin/issues/{issue}/article?handler=Publish", [], $"/admin/issues/{issue}/article");
        var page = WebUtility.HtmlDecode(await admin.FollowAsync(published));

        Assert.Equal(HttpStatusCode.Redirect, published.StatusCode);
        Assert.Contains("WeChat took the article for publishing (publish_id 2247503004) but would not say how it went: errcode 48001", page, StringComparison.Ordinal);
        Assert.Single(host.Api.Accepted(FakeWeChatApi.PublishSubmit));
    }

    [Fact]
    public async Task APublishByThePushThatWeChatWillNotReportOnIsExplainedOnTheArticlePage()
    {
        var settings = ArticleMode(cover: await CoverFileAsync());
        settings["Admin:Password"] = AdminSession.Password;
        await using var host = await WeChatHost.StartAsync(settings,
            respond: call => call.Path is FakeWeChatApi.MassSendAll or FakeWeChatApi.PublishGet ? FakeWeChatApi.ApiUnauthorized : null);
        await host.FollowAsync("oAlice");

        var issue = await host.PublishNextIssueAsync();
        Assert.True(await host.DeliveryBecomesAsync("oAlice", issue, DeliveryStatus.Waiting));
        var admin = AdminSession.For(host.App);
        await admin.LogInAsync();
        var page = WebUtility.HtmlDecode(await admin.Client.GetStringAsync($"/admin/issues/{issue}/article"));

        Assert.Contains("<tr><th>Problem</th><td class=\"notice bad\" id=\"article-error\">WeChat took the article for publishing (publish_id 2247503004) but would not say how it went: errcode 48001", page, StringComparison.Ordinal);
        Assert.Single(host.Api.Accepted(FakeWeChatApi.PublishSubmit));
    }

    [Fact]
    public async Task ADraftIssuesArticleLinksToItsPageOnlyOnceThePageIsThere()
    {
        await using var host = await WeChatHost.StartAsync(ArticleMode(cover: await CoverFileAsync()));
        var issue = await ImportAsync(host);
        var publisher = host.App.Services.GetRequiredService<ArticlePublisher>();
        await publisher.SaveDraftAsync(issue, "test", CancellationToken.None);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Client.GetAsync($"/issues/{issue}")).StatusCode);

        await using (var scope = host.App.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<IssuePublisher>().PublishAsync(issue, "test", CancellationToken.None);
        await publisher.PublishAsync(issue, "test", CancellationToken.None);

        var saved = Assert.Single(host.Api.Accepted(FakeWeChatApi.DraftAdd)).Json.GetProperty("articles")[0];
        Assert.Equal("", saved.GetProperty("content_source_url").GetString());
        var sent = Assert.Single(host.Api.Accepted(FakeWeChatApi.DraftUpdate)).Json.GetProperty("articles");
        Assert.Equal($"https://papers.example.org/issues/{issue}", sent.GetProperty("content_source_url").GetString());
        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync($"/issues/{issue}")).StatusCode);
        Assert.Equal(1, host.Api.Articles.MassSendsExecuted);
    }

    [Fact]
    public async Task AMassSendWeChatRefusedIsSavedAnewWithTheIssueAsItIsWhenItIsTriedAgain()
    {
        var quotaUsedUp = true;
        await using var host = await WeChatHost.StartAsync(ArticleMode(cover: await CoverFileAsync()),
            respond: call => call.Path == FakeWeChatApi.MassSendAll && quotaUsedUp ? FakeWeChatApi.DailyQuota : null);
        var issue = await ImportAsync(host);
        var publisher = host.App.Services.GetRequiredService<ArticlePublisher>();
        Assert.IsType<ArticleOutcome.Refused>(await publisher.PublishAsync(issue, "test", CancellationToken.None));

        await using (var scope = host.App.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<PaperTopicsEditor>().SetAsync(issue, 1, ["reasoning"], "test", CancellationToken.None);
        quotaUsedUp = false;
        var sent = await publisher.PublishAsync(issue, "test", CancellationToken.None);

        Assert.Equal(new ArticleOutcome.MassSent(3_147_483_001, Earlier: false), sent);
        var update = Assert.Single(host.Api.Accepted(FakeWeChatApi.DraftUpdate));
        Assert.Contains(">#推理</span></p>", update.Json.GetProperty("articles").GetProperty("content").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, host.Api.Articles.MassSendsExecuted);
    }

    [Theory]
    [InlineData("https://mp.weixin.qq.com/s/from-the-event", "https://mp.weixin.qq.com/s/from-the-event")]
    [InlineData("javascript:alert(document.cookie)", null)] // it would become a link on the issue's public page
    public async Task APublishingJobFinishedEventBringsTheAddressBeforeThePollDoes(string url, string? expected)
    {
        await using var host = await WeChatHost.StartAsync(ArticleMode(cover: await CoverFileAsync()),
            respond: call => call.Path == FakeWeChatApi.MassSendAll ? FakeWeChatApi.ApiUnauthorized : null);
        host.Api.Articles.PublishingPolls = 1000;
        var issue = await ImportAsync(host);
        var publisher = host.App.Services.GetRequiredService<ArticlePublisher>();

        var publishing = publisher.PublishAsync(issue, "test", CancellationToken.None);
        await Eventually.AssertAsync(() => Task.FromResult(host.Api.CallsTo(FakeWeChatApi.PublishGet).Count > 0), "the first poll");
        Assert.Single(host.Api.Accepted(FakeWeChatApi.PublishSubmit));
        Assert.Equal("success", await host.SendAsync(PublishJobFinished("2247503004", url)));

        var outcome = await publishing;

        Assert.Equal(new ArticleOutcome.Published(expected), outcome);
        Assert.Equal(expected, await host.App.QueryAsync(db => db.Issues.Where(i => i.Id == issue).Select(i => i.ArticleUrl).SingleAsync()));
    }

    // publish_status 0 is 发布成功 whatever else the report carries: a success without its address is not a refusal.
    [Fact]
    public async Task APublishingJobReportedAsSucceededWithoutItsAddressIsPublishedNotRefused()
    {
        await using var host = await WeChatHost.StartAsync(ArticleMode(cover: await CoverFileAsync()),
            respond: call => call.Path == FakeWeChatApi.MassSendAll ? FakeWeChatApi.ApiUnauthorized : null);
        host.Api.Articles.PublishingPolls = 1000;
        var issue = await ImportAsync(host);
        var publisher = host.App.Services.GetRequiredService<ArticlePublisher>();

        var publishing = publisher.PublishAsync(issue, "test", CancellationToken.None);
        await Eventually.AssertAsync(() => Task.FromResult(host.Api.CallsTo(FakeWeChatApi.PublishGet).Count > 0), "the first poll");
        Assert.Equal("success", await host.SendAsync(PublishJobFinished("2247503004", url: null)));

        Assert.Equal(new ArticleOutcome.Published(null), await publishing);
        var stored = await host.App.QueryAsync(db => db.IssueArticles.AsNoTracking().SingleAsync(a => a.IssueId == issue));
        Assert.NotNull(stored.PublishedAt);
        Assert.Equal(("2247503004", (int?)null, (string?)null), (stored.PublishId, stored.PublishRefusedStatus, stored.LastError));
        Assert.IsType<ArticleOutcome.Published>(await publisher.PublishForPushAsync(issue, CancellationToken.None));
        Assert.Single(host.Api.CallsTo(FakeWeChatApi.PublishSubmit));
    }

    [Theory]
    [InlineData(FakeWeChatApi.ApiUnauthorized,
        "errcode 48001: this account has no API right for drafts (draft/add) (unverified accounts have none for drafts and publishing) — use “Copy for the WeChat editor” and paste the article into the platform's editor")]
    [InlineData(FakeWeChatApi.DailyQuota,
        "errcode 45009: the daily quota of drafts (draft/add) is used up; try again after midnight Beijing time")]
    [InlineData(FakeWeChatApi.InvalidMediaId,
        "errcode 40007: WeChat does not know the media_id sent to drafts (draft/add) (the draft or the cover was deleted on the platform, or the draft was already published); send the article to drafts again")]
    public async Task WhatWeChatRefusesReachesTheAdminInPlainWords(string answer, string message)
    {
        var settings = ArticleMode(cover: await CoverFileAsync());
        settings["Admin:Password"] = AdminSession.Password;
        await using var host = await WeChatHost.StartAsync(settings, respond: call => call.Path == FakeWeChatApi.DraftAdd ? answer : null);
        var issue = await ImportAsync(host);
        var admin = AdminSession.For(host.App);
        await admin.LogInAsync();

        var page = await admin.FollowAsync(await admin.PostAsync($"/admin/issues/{issue}/article?handler=Draft", [], $"/admin/issues/{issue}/article"));

        Assert.Contains(message, WebUtility.HtmlDecode(page), StringComparison.Ordinal);
        var stored = await host.App.QueryAsync(db => db.IssueArticles.AsNoTracking().SingleAsync(a => a.IssueId == issue));
        Assert.Equal(message, stored.LastError);
        Assert.Null(stored.DraftMediaId);
    }

    [Fact]
    public async Task APushThatFindsTheDailyQuotaUsedUpWaitsForMidnightWithTheReason()
    {
        await using var host = await WeChatHost.StartAsync(ArticleMode(cover: await CoverFileAsync()),
            respond: call => call.Path == FakeWeChatApi.MassSendAll ? FakeWeChatApi.DailyQuota : null);
        await host.FollowAsync("oAlice");

        var issue = await host.PublishNextIssueAsync();

        await Eventually.AssertAsync(async () => await LastErrorAsync(host, "oAlice", issue) is not null, "the delivery's reason");
        Assert.Equal("errcode 45009: the daily quota of mass sends to all followers (message/mass/sendall) is used up; try again after midnight Beijing time",
            await LastErrorAsync(host, "oAlice", issue));
        Assert.Equal(DeliveryStatus.Pending, await host.DeliveryStatusAsync("oAlice", issue));
        Assert.Equal(0, host.Api.Articles.MassSendsExecuted);
    }

    [Fact]
    public async Task EditingAPapersTopicsBeforePublishingUpdatesTheDraftInsteadOfAddingASecond()
    {
        await using var host = await WeChatHost.StartAsync(ArticleMode(cover: await CoverFileAsync()));
        var issue = await ImportAsync(host);
        var publisher = host.App.Services.GetRequiredService<ArticlePublisher>();

        Assert.Equal(new ArticleOutcome.Drafted("DRAFT_3_W3LbAkFlGjJ3fGGam", Updated: false), await publisher.SaveDraftAsync(issue, "test", CancellationToken.None));
        await using (var scope = host.App.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<PaperTopicsEditor>().SetAsync(issue, 1, ["reasoning"], "test", CancellationToken.None);
        Assert.Equal(new ArticleOutcome.Drafted("DRAFT_3_W3LbAkFlGjJ3fGGam", Updated: true), await publisher.SaveDraftAsync(issue, "test", CancellationToken.None));

        Assert.Single(host.Api.Accepted(FakeWeChatApi.DraftAdd));
        Assert.Single(host.Api.Accepted(FakeWeChatApi.DraftUpdate));
        Assert.Single(host.Api.Accepted(FakeWeChatApi.AddMaterial));
        var draft = Assert.Single(host.Api.Articles.Drafts);
        Assert.Contains("话题：<span", draft.Content, StringComparison.Ordinal);
        Assert.Contains(">#推理</span></p>", draft.Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CorrectingATopicOnTheAdminPageUpdatesTheDraftOnWeChat()
    {
        var settings = ArticleMode(cover: await CoverFileAsync());
        settings["Admin:Password"] = AdminSession.Password;
        await using var host = await WeChatHost.StartAsync(settings);
        var issue = await ImportAsync(host);
        var admin = AdminSession.For(host.App);
        await admin.LogInAsync();
        await admin.PostAsync($"/admin/issues/{issue}/article?handler=Draft", [], $"/admin/issues/{issue}/article");

        var page = await admin.FollowAsync(await admin.PostAsync($"/admin/issues/{issue}?handler=Topics", [new("number", "2"), new("topics", "reasoning")], $"/admin/issues/{issue}"));

        Assert.Contains("Paper 2: topics reasoning. The WeChat draft is updated too.", page, StringComparison.Ordinal);
        Assert.Single(host.Api.Accepted(FakeWeChatApi.DraftAdd));
        Assert.Single(host.Api.Accepted(FakeWeChatApi.DraftUpdate));
        Assert.Contains("#推理</span></p>", Assert.Single(host.Api.Articles.Drafts).Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ADraftDeletedOnThePlatformIsAddedAnewByTheNextSave()
    {
        await using var host = await WeChatHost.StartAsync(ArticleMode(cover: await CoverFileAsync()));
        var issue = await ImportAsync(host);
        var publisher = host.App.Services.GetRequiredService<ArticlePublisher>();
        await publisher.SaveDraftAsync(issue, "test", CancellationToken.None);
        host.Api.Articles.DeleteDraft("DRAFT_3_W3LbAkFlGjJ3fGGam");

        var saved = await publisher.SaveDraftAsync(issue, "test", CancellationToken.None);

        Assert.Equal(new ArticleOutcome.Drafted("DRAFT_4_W3LbAkFlGjJ3fGGam", Updated: false), saved);
        Assert.Equal(FakeWeChatApi.InvalidMediaId, Assert.Single(host.Api.CallsTo(FakeWeChatApi.DraftUpdate)).Response);
        Assert.Equal(2, host.Api.Accepted(FakeWeChatApi.DraftAdd).Count);
    }

    /// <summary>The settings of a verb run beside <paramref name="host"/>: its database and its WeChat account.</summary>
    private static Dictionary<string, string?> Beside(WeChatHost host, Dictionary<string, string?> settings) => new(settings)
    {
        ["ConnectionStrings:PaperBot"] = host.App.Postgres?.ConnectionString ?? $"Data Source={host.App.DatabasePath}",
        ["WeChat:Token"] = WeChatHost.Token,
        ["WeChat:AppId"] = WeChatHost.AppId,
        ["WeChat:AppSecret"] = WeChatHost.AppSecret,
        ["WeChat:EncodingAesKey"] = WeChatHost.EncodingAesKey,
        ["WeChat:ApiBaseUrl"] = host.Api.BaseUrl.ToString(),
        ["Web:PublicUrl"] = WeChatHost.PublicUrl,
    };

    internal static Dictionary<string, string?> ArticleMode(string? cover = null) => new()
    {
        ["WeChat:PushMode"] = "Article",
        ["WeChat:Article:Author"] = Author,
        ["WeChat:Article:Cover"] = cover ?? "",
        ["Delivery:RetryDelay"] = "00:00:00.2",
    };

    /// <summary>A configured cover, so that tests not about the generated one need no font.</summary>
    internal static async Task<string> CoverFileAsync()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("paperbot-cover-").FullName, "cover.png");
        using var bitmap = new SKBitmap(900, 383);
        bitmap.Erase(new SKColor(0x0a, 0x4f, 0x96));
        using var png = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        await File.WriteAllBytesAsync(path, png.ToArray());
        return path;
    }

    private static async Task<int> ImportAsync(WeChatHost host)
    {
        var digest = (await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "samples", "digest-sample.txt")))
            .Replace("超越 Transformer", "超越 RNN", StringComparison.Ordinal);
        await using var scope = host.App.Services.CreateAsyncScope();
        var imported = await scope.ServiceProvider.GetRequiredService<IssueImporter>().ImportAsync(digest, null, "test", CancellationToken.None);
        return Assert.IsType<ImportOutcome.Imported>(imported).IssueId;
    }

    // Article mode, each delivery its own group (Delivery:MaxBatch 1), an account that may not mass-send, the admin
    // page on, and WeChat ending every publishing job without publishing (平台审核不通过).
    private static async Task<WeChatHost> HostRefusingEveryPublishAsync()
    {
        var settings = ArticleMode(cover: await CoverFileAsync());
        settings["Delivery:MaxBatch"] = "1";
        settings["Admin:Password"] = AdminSession.Password;
        var host = await WeChatHost.StartAsync(settings,
            respond: call => call.Path == FakeWeChatApi.MassSendAll ? FakeWeChatApi.ApiUnauthorized : null);
        host.Api.Articles.PublishFailsWith = 4;
        return host;
    }

    /// <summary>The readers follow, the next issue is published, and the refused article fails each reader's delivery.</summary>
    private static async Task<int> PushEveryReaderFailsAsync(WeChatHost host, string[] readers)
    {
        foreach (var reader in readers)
            await host.FollowAsync(reader);
        var issue = await host.PublishNextIssueAsync();
        foreach (var reader in readers)
            Assert.True(await host.DeliveryBecomesAsync(reader, issue, DeliveryStatus.Failed), reader);
        return issue;
    }

    private static Task<string?> LastErrorAsync(WeChatHost host, string openId, int issue) =>
        host.App.QueryAsync(db => db.DeliveriesOfIssue(issue).To(db, openId)
            .Select(d => d.LastError).FirstOrDefaultAsync());

    /// <summary>The report on a news send to all followers.</summary>
    private static string MassSendReport(long msgId, string? url, string status = "send success", int sent = 2) =>
        WeChatHost.MassSendJobFinishedXml(msgId, status, total: sent, sent: sent, errors: 0, articleUrl: url);

    /// <summary>发布结果的事件推送 (PUBLISHJOBFINISH), as in Tencent's documentation; without <paramref name="url"/>, no article_detail.</summary>
    private static string PublishJobFinished(string publishId, string? url) => $"""
        <xml>
          <ToUserName><![CDATA[{WeChatHost.Account}]]></ToUserName>
          <FromUserName><![CDATA[oV5CrjpxgaGXNHIQigzNlgLTnwic]]></FromUserName>
          <CreateTime>{WeChatHost.NextCreateTime()}</CreateTime>
          <MsgType><![CDATA[event]]></MsgType>
          <Event><![CDATA[PUBLISHJOBFINISH]]></Event>
          <PublishEventInfo>
            <publish_id>{publishId}</publish_id>
            <publish_status>0</publish_status>
            <article_id><![CDATA[b5O2OUs25HBxRceL7hfReg-U9QGeq9zQjiDvyWFrXNJ6nBfwPIu4Gc8Ms6xeq8Yo]]></article_id>
            {(url is null ? "" : $"<article_detail><count>1</count><item><idx>1</idx><article_url><![CDATA[{url}]]></article_url></item></article_detail>")}
          </PublishEventInfo>
        </xml>
        """;
}
