using System.Text.Json;

namespace PaperBot.WeChat.Tests;

// Bodies the fake API answers with are Tencent's as documented (获取 Access token, 群发) or as
// reported verbatim on developers.weixin.qq.com/community threads (the errcode ones).
public sealed class WeChatApiClientTests
{
    private const string CustomSend = "/cgi-bin/message/custom/send";
    private const string MassSend = "/cgi-bin/message/mass/send";
    private const string MenuCreate = "/cgi-bin/menu/create";

    private const string InvalidCredential =
        """{"errcode":40001,"errmsg":"invalid credential, access_token is invalid or not latest rid: 65f1a2b3-4c5d6e7f-1a2b3c4d"}""";

    private const string OutOfTimeLimit =
        """{"errcode":45015,"errmsg":"response out of time limit or subscription is canceled rid: 5f3ded7d-22929d02-4ba1f5f6"}""";

    [Fact]
    public async Task AccessTokenIsRequestedWithTheAppCredentialsAndThenCached()
    {
        await using var harness = await ApiHarness.StartAsync();

        await harness.Client.SendCustomTextAsync("OPENID", "one");
        await harness.Client.SendCustomTextAsync("OPENID", "two");
        await harness.Client.SendCustomTextAsync("OPENID", "three");

        var tokenRequest = Assert.Single(harness.Api.TokenRequests);
        Assert.Equal("GET", tokenRequest.Method);
        Assert.Equal("client_credential", tokenRequest.Query["grant_type"]);
        Assert.Equal(ApiHarness.AppId, tokenRequest.Query["appid"]);
        Assert.Equal(ApiHarness.AppSecret, tokenRequest.Query["secret"]);
        Assert.All(harness.Api.CallsTo(CustomSend), call => Assert.Equal("TOKEN-1", call.AccessToken));
        Assert.Equal(3, harness.Api.CallsTo(CustomSend).Count);
    }

    [Fact]
    public async Task AccessTokenIsRenewedFiveMinutesBeforeItExpires()
    {
        await using var harness = await ApiHarness.StartAsync();
        await harness.Client.SendCustomTextAsync("OPENID", "first");

        harness.Time.Advance(TimeSpan.FromSeconds(7200 - 301));
        await harness.Client.SendCustomTextAsync("OPENID", "still cached");
        harness.Time.Advance(TimeSpan.FromSeconds(2));
        await harness.Client.SendCustomTextAsync("OPENID", "renewed");

        Assert.Equal(["TOKEN-1", "TOKEN-1", "TOKEN-2"], harness.Api.CallsTo(CustomSend).Select(call => call.AccessToken));
        Assert.Equal(2, harness.Api.TokenRequestCount);
    }

    [Fact]
    public async Task FiftyConcurrentSendsWithAnExpiredTokenShareOneTokenRequest()
    {
        await using var harness = await ApiHarness.StartAsync();
        await harness.SeedTokenAsync("EXPIRED", TimeSpan.FromSeconds(-1));
        harness.Api.TokenDelay = TimeSpan.FromMilliseconds(300);

        await Task.WhenAll(Enumerable.Range(0, 50).Select(i => Task.Run(() => harness.Client.SendCustomTextAsync($"OPENID-{i}", "hi"))));

        Assert.Equal(1, harness.Api.TokenRequestCount);
        var sends = harness.Api.CallsTo(CustomSend);
        Assert.Equal(50, sends.Count);
        Assert.All(sends, call => Assert.Equal("TOKEN-1", call.AccessToken));
    }

    [Fact]
    public async Task ClientsSharingATokenStoreShareTheToken()
    {
        await using var harness = await ApiHarness.StartAsync();
        var otherInstance = harness.CreateClient(harness.Api.BaseUrl);

        await harness.Client.SendCustomTextAsync("OPENID", "from one");
        await otherInstance.SendCustomTextAsync("OPENID", "from the other");

        Assert.Equal(1, harness.Api.TokenRequestCount);
    }

    [Fact]
    public async Task CallerThatGivesUpDoesNotCancelTheRefreshOthersWaitOn()
    {
        await using var harness = await ApiHarness.StartAsync();
        harness.Api.TokenDelay = TimeSpan.FromMilliseconds(500);
        using var impatient = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        var cancelled = harness.Client.SendCustomTextAsync("OPENID-1", "hi", impatient.Token);
        var patient = harness.Client.SendCustomTextAsync("OPENID-2", "hi");

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        await patient;
        Assert.Equal(1, harness.Api.TokenRequestCount);
        Assert.Equal("OPENID-2", JsonDocument.Parse(Assert.Single(harness.Api.CallsTo(CustomSend)).Body).RootElement.GetProperty("touser").GetString());
    }

    [Theory]
    [InlineData(InvalidCredential)]
    [InlineData("""{"errcode":40014,"errmsg":"invalid access_token rid: 6038c2ab-7bd0a35d-1e61a1e0"}""")]
    [InlineData("""{"errcode":42001,"errmsg":"access_token expired rid: 62a0b3c4-5d6e7f80-91a2b3c4"}""")]
    public async Task RejectedAccessTokenIsRefreshedOnceAndTheCallRetriedOnce(string rejection)
    {
        await using var harness = await ApiHarness.StartAsync();
        await harness.SeedTokenAsync("REVOKED", TimeSpan.FromHours(1));
        harness.Api.Respond = request => request.AccessToken == "REVOKED" ? FakeResponse.Json(rejection) : null;

        await harness.Client.SendCustomTextAsync("OPENID", "hi");

        Assert.Equal(["REVOKED", "TOKEN-1"], harness.Api.CallsTo(CustomSend).Select(call => call.AccessToken));
        Assert.Equal(1, harness.Api.TokenRequestCount);
        Assert.Equal("TOKEN-1", (await harness.Store.GetAsync(CancellationToken.None))!.Value);
    }

    [Fact]
    public async Task TokenRejectedAgainAfterTheRefreshSurfacesWithoutAnotherAttempt()
    {
        await using var harness = await ApiHarness.StartAsync();
        await harness.SeedTokenAsync("REVOKED", TimeSpan.FromHours(1));
        harness.Api.Respond = request => request.Path.EndsWith(CustomSend, StringComparison.Ordinal) ? FakeResponse.Json(InvalidCredential) : null;

        var e = await Assert.ThrowsAsync<WeChatApiException>(() => harness.Client.SendCustomTextAsync("OPENID", "hi"));

        Assert.Equal(WeChatErrorKind.TokenInvalid, e.Kind);
        Assert.Equal(2, harness.Api.CallsTo(CustomSend).Count);
        Assert.Equal(1, harness.Api.TokenRequestCount);
    }

    [Fact]
    public async Task CustomerServiceMessageAfterTheReplyWindowIsOutsideReplyWindow()
    {
        await using var harness = await ApiHarness.StartAsync();
        harness.Api.Respond = request => request.Path.EndsWith(CustomSend, StringComparison.Ordinal) ? FakeResponse.Json(OutOfTimeLimit) : null;

        var e = await Assert.ThrowsAsync<WeChatApiException>(() => harness.Client.SendCustomTextAsync("OPENID", "hi"));

        Assert.Equal(45015, e.ErrorCode);
        Assert.Equal(WeChatErrorKind.OutsideReplyWindow, e.Kind);
        Assert.False(e.IsRetryable);
        Assert.Equal(CustomSend, e.Path);
        Assert.StartsWith("response out of time limit", e.ErrorMessage, StringComparison.Ordinal);
        Assert.Single(harness.Api.CallsTo(CustomSend));
        Assert.Equal(1, harness.Api.TokenRequestCount);
    }

    [Theory]
    [InlineData(-1, WeChatErrorKind.SystemBusy, true)]
    [InlineData(40001, WeChatErrorKind.TokenInvalid, true)]
    [InlineData(40014, WeChatErrorKind.TokenInvalid, true)]
    [InlineData(42001, WeChatErrorKind.TokenInvalid, true)]
    [InlineData(40003, WeChatErrorKind.InvalidOpenId, false)]
    [InlineData(43004, WeChatErrorKind.RecipientNotSubscribed, false)]
    [InlineData(43019, WeChatErrorKind.RecipientBlocked, false)]
    [InlineData(45009, WeChatErrorKind.QuotaExceeded, false)]
    [InlineData(45011, WeChatErrorKind.RateLimited, true)]
    [InlineData(45015, WeChatErrorKind.OutsideReplyWindow, false)]
    [InlineData(45047, WeChatErrorKind.ResponseCountLimit, false)]
    [InlineData(48001, WeChatErrorKind.Unauthorized, false)]
    [InlineData(40130, WeChatErrorKind.Other, false)]
    [InlineData(40164, WeChatErrorKind.IpNotAllowed, false)]
    [InlineData(45065, WeChatErrorKind.AlreadySent, false)]
    [InlineData(45066, WeChatErrorKind.RepeatTooSoon, false)]
    [InlineData(45028, WeChatErrorKind.MassSendQuotaExceeded, false)]
    public async Task ErrorCodeMapsToItsKind(int errorCode, WeChatErrorKind kind, bool retryable)
    {
        await using var harness = await ApiHarness.StartAsync();
        await harness.SeedTokenAsync("TOKEN-0", TimeSpan.FromHours(1));
        harness.Api.Respond = request => request.Path.EndsWith(MenuCreate, StringComparison.Ordinal)
            ? FakeResponse.Json($$"""{"errcode":{{errorCode}},"errmsg":"as documented rid: 1"}""")
            : null;

        var e = await Assert.ThrowsAsync<WeChatApiException>(
            () => harness.Client.CreateMenuAsync(new WeChatMenu(WeChatMenuButton.Click("最新", "LATEST"))));

        Assert.Equal(errorCode, e.ErrorCode);
        Assert.Equal(kind, e.Kind);
        Assert.Equal(retryable, e.IsRetryable);
    }

    [Fact]
    public async Task MassSendPostsTheOpenIdListAndReturnsTheJobIds()
    {
        await using var harness = await ApiHarness.StartAsync();
        harness.Api.Respond = request => request.Path.EndsWith(MassSend, StringComparison.Ordinal)
            ? FakeResponse.Json("""{"errcode":0,"errmsg":"send job submission success","msg_id":34182,"msg_data_id":206227730}""")
            : null;

        var result = await harness.Client.MassSendTextAsync(["OPENID1", "OPENID2"], "本周 AI 论文 🚀");

        Assert.Equal(new WeChatMassSendResult(34182, 206227730), result);
        var call = Assert.Single(harness.Api.CallsTo(MassSend));
        Assert.Equal("POST", call.Method);
        Assert.Equal("application/json; charset=utf-8", call.ContentType);
        Assert.Equal("""{"touser":["OPENID1","OPENID2"],"msgtype":"text","text":{"content":"本周 AI 论文 🚀"}}""", call.BodyText);
    }

    // The send after a lost answer: Tencent refuses the repeat and names the send that went out, whose report comes later.
    [Fact]
    public async Task AMassSendRepeatedWithItsClientMsgIdReturnsTheEarlierSendsMsgId()
    {
        await using var harness = await ApiHarness.StartAsync();
        harness.Api.Respond = request => request.Path.EndsWith(MassSend, StringComparison.Ordinal)
            ? FakeResponse.Json("""{"errcode":45065,"errmsg":"clientmsgid exist rid: 65d56251-31349bbf-5f45a191","msg_id":34182}""")
            : null;

        var result = await harness.Client.MassSendTextAsync(["OPENID1", "OPENID2"], "本周 AI 论文 🚀", "paperbot-0123456789abcdef");

        Assert.Equal(new WeChatMassSendResult(34182, null, AlreadySent: true), result);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(10_001)]
    public async Task MassSendOutsideTwoToTenThousandOpenIdsIsRefusedBeforeAnyCall(int count)
    {
        await using var harness = await ApiHarness.StartAsync();
        var openIds = Enumerable.Range(0, count).Select(i => $"OPENID{i}").ToArray();

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => harness.Client.MassSendTextAsync(openIds, "hi"));

        Assert.Empty(harness.Api.Requests);
    }

    [Fact]
    public async Task MassSendToTenThousandOpenIdsIsAllowed()
    {
        await using var harness = await ApiHarness.StartAsync();
        harness.Api.Respond = request => request.Path.EndsWith(MassSend, StringComparison.Ordinal)
            ? FakeResponse.Json("""{"errcode":0,"errmsg":"send job submission success","msg_id":1000000001}""")
            : null;

        var result = await harness.Client.MassSendTextAsync(Enumerable.Range(0, 10_000).Select(i => $"OPENID{i}").ToArray(), "hi");

        Assert.Equal(new WeChatMassSendResult(1000000001, null), result);
        Assert.Equal(10_000, JsonDocument.Parse(harness.Api.CallsTo(MassSend)[0].Body).RootElement.GetProperty("touser").GetArrayLength());
    }

    [Fact]
    public async Task MenuCreateBodyIsTheDocumentedExample()
    {
        // 自定义菜单创建接口 request example (developers.weixin.qq.com/doc/offiaccount/Custom_Menus/Creating_Custom-Defined_Menu.html), minified
        const string Documented =
            """{"button":[{"type":"click","name":"今日歌曲","key":"V1001_TODAY_MUSIC"},{"type":"click","name":"歌手简介","key":"V1001_TODAY_SINGER"},"""
            + """{"name":"菜单","sub_button":[{"type":"view","name":"搜索","url":"http://www.soso.com/"},{"type":"view","name":"视频","url":"http://v.qq.com/"},"""
            + """{"type":"click","name":"赞一下我们","key":"V1001_GOOD"}]}]}""";
        await using var harness = await ApiHarness.StartAsync();
        var menu = new WeChatMenu(
            WeChatMenuButton.Click("今日歌曲", "V1001_TODAY_MUSIC"),
            WeChatMenuButton.Click("歌手简介", "V1001_TODAY_SINGER"),
            WeChatMenuButton.Group(
                "菜单",
                WeChatMenuButton.View("搜索", "http://www.soso.com/"),
                WeChatMenuButton.View("视频", "http://v.qq.com/"),
                WeChatMenuButton.Click("赞一下我们", "V1001_GOOD")));

        await harness.Client.CreateMenuAsync(menu);

        Assert.Equal(Documented, Assert.Single(harness.Api.CallsTo(MenuCreate)).BodyText);
    }

    [Fact]
    public void MenuOutsideTheDocumentedShapeIsRefused()
    {
        var click = WeChatMenuButton.Click("最新", "LATEST");

        Assert.Throws<ArgumentOutOfRangeException>(() => new WeChatMenu());
        Assert.Throws<ArgumentOutOfRangeException>(() => new WeChatMenu(click, click, click, click));
        Assert.Throws<ArgumentOutOfRangeException>(() => WeChatMenuButton.Group("更多"));
        Assert.Throws<ArgumentOutOfRangeException>(() => WeChatMenuButton.Group("更多", click, click, click, click, click, click));
        Assert.Throws<ArgumentException>(() => WeChatMenuButton.Group("更多", WeChatMenuButton.Group("更多", click)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new WeChatMenu(WeChatMenuButton.Click("一二三四五六", "K")));
        Assert.Throws<ArgumentOutOfRangeException>(() => WeChatMenuButton.Click("最新", new string('k', 129)));
    }

    [Fact]
    public async Task CustomerServiceTextBodyIsTheDocumentedExample()
    {
        await using var harness = await ApiHarness.StartAsync();

        await harness.Client.SendCustomTextAsync("OPENID", "Hello World");

        Assert.Equal("""{"touser":"OPENID","msgtype":"text","text":{"content":"Hello World"}}""", harness.Api.CallsTo(CustomSend)[0].BodyText);
    }

    [Fact]
    public async Task CustomerServiceNewsBodyIsTheDocumentedExample()
    {
        await using var harness = await ApiHarness.StartAsync();

        await harness.Client.SendCustomNewsAsync("OPENID", new WeChatNewsArticle("Happy Day", "Is Really A Happy Day", "URL", "PIC_URL"));

        Assert.Equal(
            """{"touser":"OPENID","msgtype":"news","news":{"articles":[{"title":"Happy Day","description":"Is Really A Happy Day","url":"URL","picurl":"PIC_URL"}]}}""",
            harness.Api.CallsTo(CustomSend)[0].BodyText);
    }

    [Theory]
    [InlineData("中文 and emoji 😀👨‍👩‍👧 and 𠀀")]
    [InlineData("quote \" backslash \\ slash / newline \n tab \t bell \u0007")]
    [InlineData("<script>&amp;</script> \u2028 ’")]
    public async Task TextIsSentAsRawUtf8JsonThatDecodesToTheSameString(string content)
    {
        await using var harness = await ApiHarness.StartAsync();

        await harness.Client.SendCustomTextAsync("OPENID", content);

        var body = harness.Api.CallsTo(CustomSend)[0];
        Assert.Equal(content, JsonDocument.Parse(body.Body).RootElement.GetProperty("text").GetProperty("content").GetString());
        var nonAsciiRuns = System.Text.RegularExpressions.Regex.Matches(content, @"[^\x00-\x7F]+").Select(match => match.Value);
        Assert.All(nonAsciiRuns, run => Assert.Contains(run, body.BodyText, StringComparison.Ordinal));
        Assert.DoesNotContain("\\ud", body.BodyText, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task ServerErrorIsARetryableTransportFailure()
    {
        await using var harness = await ApiHarness.StartAsync();
        harness.Api.Respond = request => request.Path.EndsWith(CustomSend, StringComparison.Ordinal)
            ? new FakeResponse(502, "<html>Bad Gateway</html>", "text/html")
            : null;

        var e = await Assert.ThrowsAsync<WeChatTransportException>(() => harness.Client.SendCustomTextAsync("OPENID", "hi"));

        Assert.True(e.IsRetryable);
        Assert.Equal(System.Net.HttpStatusCode.BadGateway, e.StatusCode);
        Assert.Equal(CustomSend, e.Path);
    }

    [Fact]
    public async Task TimeoutIsARetryableTransportFailure()
    {
        await using var harness = await ApiHarness.StartAsync(httpTimeout: TimeSpan.FromMilliseconds(300));
        harness.Api.CallDelay = TimeSpan.FromSeconds(10);

        var e = await Assert.ThrowsAsync<WeChatTransportException>(() => harness.Client.SendCustomTextAsync("OPENID", "hi"));

        Assert.True(e.IsRetryable);
        Assert.Null(e.StatusCode);
    }

    [Fact]
    public async Task ResponseThatIsNotJsonIsATransportFailure()
    {
        await using var harness = await ApiHarness.StartAsync();
        harness.Api.Respond = request => request.Path.EndsWith(CustomSend, StringComparison.Ordinal)
            ? new FakeResponse(200, "<html>maintenance</html>", "text/html")
            : null;

        var e = await Assert.ThrowsAsync<WeChatTransportException>(() => harness.Client.SendCustomTextAsync("OPENID", "hi"));

        Assert.False(e.IsRetryable);
    }

    [Fact]
    public async Task TokenEndpointErrorIsTypedAndNothingIsCached()
    {
        await using var harness = await ApiHarness.StartAsync();
        harness.Api.Respond = request => request.Path.EndsWith("/cgi-bin/token", StringComparison.Ordinal)
            ? FakeResponse.Json("""{"errcode":40013,"errmsg":"invalid appid rid: 64f9c769-2eaacf26-025cf424"}""")
            : null;

        var e = await Assert.ThrowsAsync<WeChatApiException>(() => harness.Client.SendCustomTextAsync("OPENID", "hi"));

        Assert.Equal(40013, e.ErrorCode);
        Assert.Equal("/cgi-bin/token", e.Path);
        Assert.Null(await harness.Store.GetAsync(CancellationToken.None));
        Assert.Empty(harness.Api.CallsTo(CustomSend));
    }

    [Fact]
    public async Task BaseUrlWithAPathIsHonouredForEveryCall()
    {
        await using var harness = await ApiHarness.StartAsync(basePath: "/wechat-proxy/");

        await harness.Client.SendCustomTextAsync("OPENID", "hi");
        await harness.Client.MassSendTextAsync(["OPENID1", "OPENID2"], "hi");
        await harness.Client.CreateMenuAsync(new WeChatMenu(WeChatMenuButton.View("归档", "https://example.org/")));

        Assert.Equal(
            ["/wechat-proxy/cgi-bin/token", "/wechat-proxy" + CustomSend, "/wechat-proxy" + MassSend, "/wechat-proxy" + MenuCreate],
            harness.Api.Requests.Select(request => request.Path));
    }

    [Fact]
    public async Task SecretAndTokensNeverReachLogsOrExceptions()
    {
        await using var harness = await ApiHarness.StartAsync(httpTimeout: TimeSpan.FromMilliseconds(500));
        var failures = new List<Exception>();
        var tokenAttempts = 0;
        var step = 0;

        // Tencent's errmsg never carries credentials as far as we know; this server is hostile on
        // purpose and echoes them, so the client has to scrub what it passes on.
        harness.Api.Respond = request =>
        {
            if (request.Path.EndsWith("/cgi-bin/token", StringComparison.Ordinal))
            {
                return ++tokenAttempts == 1
                    ? FakeResponse.Json($$"""{"errcode":40164,"errmsg":"invalid ip 203.0.113.7, not in whitelist, secret={{request.Query["secret"]}} rid: 1"}""")
                    : null;
            }

            return (step++) switch
            {
                0 => FakeResponse.Json($$"""{"errcode":40001,"errmsg":"invalid credential {{request.AccessToken}} rid: 2"}"""),
                1 => FakeResponse.Json($$"""{"errcode":45015,"errmsg":"response out of time limit {{request.AccessToken}} rid: 3"}"""),
                2 => new FakeResponse(503, request.AccessToken ?? "", "text/plain"),
                _ => null,
            };
        };

        async Task Attempt(Func<Task> call)
        {
            try
            {
                await call();
            }
            catch (WeChatException e)
            {
                failures.Add(e);
            }
        }

        await Attempt(() => harness.Client.SendCustomTextAsync("OPENID", "token endpoint refuses"));
        await Attempt(() => harness.Client.SendCustomTextAsync("OPENID", "40001 then 45015"));
        await Attempt(() => harness.Client.SendCustomTextAsync("OPENID", "503"));
        harness.Api.CallDelay = TimeSpan.FromSeconds(5);
        await Attempt(() => harness.Client.SendCustomTextAsync("OPENID", "timeout"));

        Assert.Equal(4, failures.Count);
        Assert.Contains(harness.Logger.Lines, line => line.Contains(CustomSend, StringComparison.Ordinal));
        var issuedTokens = new[] { "TOKEN-1", "TOKEN-2" };
        var everything = failures.Select(e => e.ToString()).Concat(harness.Logger.Lines).ToList();
        foreach (var text in everything)
        {
            Assert.DoesNotContain(ApiHarness.AppSecret, text, StringComparison.Ordinal);
            Assert.DoesNotContain("access_token=", text, StringComparison.Ordinal);
            Assert.All(issuedTokens, token => Assert.DoesNotContain(token, text, StringComparison.Ordinal));
        }

        Assert.DoesNotContain("TOKEN-", (await harness.Store.GetAsync(CancellationToken.None))!.ToString(), StringComparison.Ordinal);
    }
}
