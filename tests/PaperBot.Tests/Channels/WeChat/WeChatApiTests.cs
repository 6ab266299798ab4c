using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PaperBot.Channels.WeChat;
using PaperBot.Core.Data;
using PaperBot.Core.Sending;
using PaperBot.WeChat;

namespace PaperBot.Tests.Channels.WeChat;

// The host's side of the active API: where its client points, how it shares one token, what it logs.
public sealed class WeChatApiTests
{
    [Fact]
    public async Task TheMenuFromConfigurationIsCreatedAtStart()
    {
        await using var host = await WeChatHost.StartAsync();

        var call = Assert.Single(await host.Api.WaitForCallsAsync(FakeWeChatApi.MenuCreate, 1));

        var buttons = call.Json.GetProperty("button");
        Assert.Equal(3, buttons.GetArrayLength());
        Assert.Equal("click", buttons[0].GetProperty("type").GetString());
        Assert.Equal("最新", buttons[0].GetProperty("name").GetString());
        Assert.Equal("latest", buttons[0].GetProperty("key").GetString());
        Assert.Equal("更多", buttons[2].GetProperty("name").GetString());
        Assert.Contains(buttons[2].GetProperty("sub_button").EnumerateArray(), b => b.GetProperty("key").GetString() == "topics");
        Assert.True(await host.Logs.WaitForAsync("wechat: menu created: 最新 · 往期 · 更多"));
    }

    [Fact]
    public async Task AMenuTheAccountMayNotCreateIsOneLogLineAndTheBotKeepsServing()
    {
        await using var host = await WeChatHost.StartAsync(respond: call => call.Path == FakeWeChatApi.MenuCreate ? FakeWeChatApi.ApiUnauthorized : null);

        Assert.True(await host.Logs.WaitForAsync("wechat: unable to create the menu: errcode 48001"), host.Logs.Text);
        Assert.Single(host.Logs.Lines, line => line.Contains("menu", StringComparison.Ordinal) && !line.StartsWith("scope", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync("/healthz")).StatusCode);
        Assert.Contains("Rho-1", (await host.SayAsync("oStillServed", "论文 4")).ArticleTitle, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMenuThatFindsWeChatBusyAtStartIsCreatedByTheNextTry()
    {
        var attempts = 0;
        await using var host = await WeChatHost.StartAsync(
            respond: call => call.Path == FakeWeChatApi.MenuCreate && Interlocked.Increment(ref attempts) == 1 ? """{"errcode":-1,"errmsg":"system error"}""" : null);

        Assert.True(await host.Logs.WaitForAsync("wechat: menu created: 最新 · 往期 · 更多"), host.Logs.Text);
        Assert.Equal(2, host.Api.CallsTo(FakeWeChatApi.MenuCreate).Count);
        Assert.Single(host.Api.Accepted(FakeWeChatApi.MenuCreate));
        Assert.DoesNotContain("unable to create the menu", host.Logs.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnExpiredTokenIsRefreshedOnceForManyConcurrentSenders()
    {
        await using var host = await WeChatHost.StartAsync();
        await host.Api.WaitForCallsAsync(FakeWeChatApi.MenuCreate, 1);
        var api = host.App.Services.GetRequiredService<WeChatApiClient>();
        host.Api.ExpireTokens();
        host.Api.TokenDelay = TimeSpan.FromMilliseconds(200);

        await Task.WhenAll(Enumerable.Range(0, 40).Select(i => Task.Run(() => api.SendCustomTextAsync($"oConcurrent{i}", "本周论文"))));

        Assert.Equal(2, host.Api.CallsTo(FakeWeChatApi.Token).Count);
        var accepted = host.Api.Accepted(FakeWeChatApi.CustomSend);
        Assert.Equal(40, accepted.Select(c => c.ToUser).Distinct().Count());
        Assert.Single(accepted.Select(c => c.AccessToken).Distinct());
        Assert.Contains(host.Logs.Lines, line => line.Contains("wechat: /cgi-bin/message/custom/send rejected the access token with errcode 42001", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AReaderIsAnsweredWhileASlowTokenRefreshIsUnderway()
    {
        await using var host = await WeChatHost.StartAsync(new Dictionary<string, string?> { ["Storage:BusyTimeout"] = "00:00:00.5" });
        await host.Api.WaitForCallsAsync(FakeWeChatApi.MenuCreate, 1);
        var api = host.App.Services.GetRequiredService<WeChatApiClient>();
        host.Api.ExpireTokens();
        host.Api.TokenDelay = TimeSpan.FromSeconds(8);

        var sending = Task.Run(() => api.SendCustomTextAsync("oWaiting", "本周论文"));
        await host.Api.WaitForCallsAsync(FakeWeChatApi.CustomSend, 1);
        await Task.Delay(500);
        Assert.False(sending.IsCompleted);
        var reply = await host.SayAsync("oNewReader", "论文 4");

        Assert.Contains("Rho-1", reply.ArticleTitle, StringComparison.Ordinal);
        Assert.False(sending.IsCompleted);
        await sending;
        Assert.Equal(2, host.Api.CallsTo(FakeWeChatApi.Token).Count);
    }

    // On SQLite a verb beside the bot, killed (SIGKILL) while it refreshed the access token, leaves the refresh's lease
    // in the database and nobody releases it. The bot, needing a token, waits only for that lease to run out — seconds,
    // not the minute it was — and then fetches one.
    [Fact]
    public async Task ATokenRefreshLeftByAKilledProcessHoldsTheBotUpForSecondsOnly()
    {
        await using var host = await WeChatHost.StartAsync();
        await host.Api.WaitForCallsAsync(FakeWeChatApi.MenuCreate, 1);
        await host.App.QueryAsync(async db =>
        {
            await db.ApiTokens.ExecuteDeleteAsync();
            // As a holder leaves it that is killed right after taking the lease (or renewing it).
            db.ClusterLeases.Add(new ClusterLease
            {
                Name = $"wechat-access-token:{WeChatHost.AppId}", Holder = "bot-cli:1a2b3c4d", ExpiresAt = DateTimeOffset.UtcNow + DatabaseAccessTokenStore.RefreshLease,
            });
            return await db.SaveChangesAsync();
        });
        var before = host.Api.CallsTo(FakeWeChatApi.Token).Count;

        var token = await host.App.Services.GetRequiredService<WeChatApiClient>().GetAccessTokenAsync().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Contains(token.Value, Assert.Single(host.Api.CallsTo(FakeWeChatApi.Token).Skip(before)).Response, StringComparison.Ordinal);
        Assert.Empty(await host.App.QueryAsync(db => db.ClusterLeases.Where(l => l.Name.StartsWith("wechat-access-token:")).ToListAsync()));
    }

    // The lease is short, so the process holding it renews it while WeChat is slow to answer: a verb beside the bot
    // needing a token meanwhile waits for the bot's and does not fetch a second one, which would invalidate the bot's.
    [Fact]
    public async Task ATokenRefreshSlowerThanItsLeaseKeepsItAndTheVerbBesideUsesTheBotsToken()
    {
        await using var host = await WeChatHost.StartAsync();
        await host.Api.WaitForCallsAsync(FakeWeChatApi.MenuCreate, 1);
        await host.App.QueryAsync(db => db.ApiTokens.ExecuteDeleteAsync());
        var asked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        host.Api.TokenDelay = DatabaseAccessTokenStore.RefreshLease + TimeSpan.FromSeconds(3);
        host.Api.Delay = call =>
        {
            if (call.Path == FakeWeChatApi.Token)
                asked.TrySetResult();
            return TimeSpan.Zero;
        };
        var bots = host.App.Services.GetRequiredService<WeChatApiClient>().GetAccessTokenAsync();
        await asked.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var verb = ActivatorUtilities.CreateInstance<DatabaseAccessTokenStore>(
            host.App.Services, InstanceIdentity.ForCommandLine(host.App.Services.GetRequiredService<IOptions<DeliveryOptions>>()));
        CachedAccessToken? found = null;

        var verbs = await verb.RefreshAsync(current => Task.FromResult(found = current ?? new CachedAccessToken("fetched-by-the-verb", DateTimeOffset.UtcNow.AddHours(2))),
            CancellationToken.None);

        Assert.Equal((await bots).Value, verbs.Value);
        Assert.Equal(verbs.Value, found?.Value);
        Assert.Single(host.Api.CallsTo(FakeWeChatApi.Token), c => c.Response.Contains(verbs.Value, StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheAppSecretTheAccessTokenAndTheAesKeyNeverReachTheLog()
    {
        await using var host = await WeChatHost.StartAsync(new Dictionary<string, string?>
        {
            ["WeChat:PushMode"] = "CustomerService",
            ["WeChat:ReplyBudget"] = "00:00:00",
            ["Logging:LogLevel:Default"] = "Trace",
            ["Logging:LogLevel:System.Net.Http.HttpClient"] = "Trace",
            ["Logging:LogLevel:Microsoft"] = "Trace",
        });
        await host.Api.WaitForCallsAsync(FakeWeChatApi.MenuCreate, 1);
        await host.FollowAsync("oAudited");
        await host.FollowAsync("oRefused");
        await host.Api.WaitForCallsAsync(FakeWeChatApi.CustomSend, 2);
        host.Api.ExpireTokens();
        host.Api.Respond = call => call.ToUser == "oRefused" ? FakeWeChatApi.OutOfTimeLimit : null;

        Assert.Equal("success", await host.SendAsync(WeChatHost.TextXml("oAudited", "论文 4"), Encryption.Safe));
        await host.Api.WaitForCallsAsync(FakeWeChatApi.CustomSend, 4);
        var issue = await host.PublishNextIssueAsync();
        Assert.True(await host.DeliveryBecomesAsync("oAudited", issue, DeliveryStatus.Sent));
        Assert.True(await host.DeliveryBecomesAsync("oRefused", issue, DeliveryStatus.Waiting));
        var refused = await host.PostAsync(WeChatHost.TextXml("oIntruder", "x"), Encryption.Safe, crypto: new WeChatMessageCrypto(WeChatHost.Token, WeChatHost.EncodingAesKey, "wx0123456789abcdef"));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);

        var log = host.Logs.Text;
        // .NET redacts query strings in its HttpClient logs today; the client logs nothing at all, whatever a future default is.
        Assert.DoesNotContain("System.Net.Http.HttpClient.wechat", log, StringComparison.Ordinal);
        Assert.Contains("wechat: requesting a new access token", log, StringComparison.Ordinal);
        Assert.Contains("errcode 45015", log, StringComparison.Ordinal);
        Assert.True(host.Api.IssuedTokens.Count >= 2);
        Assert.DoesNotContain(WeChatHost.AppSecret, log, StringComparison.Ordinal);
        Assert.DoesNotContain(WeChatHost.EncodingAesKey, log, StringComparison.Ordinal);
        foreach (var token in host.Api.IssuedTokens)
            Assert.DoesNotContain(token, log, StringComparison.Ordinal);
    }
}
