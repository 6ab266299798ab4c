using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Microsoft.Playwright;
using PaperBot.Tests.Admin;
using PaperBot.Tests.Channels.Telegram;
using PaperBot.Tests.Sending;
using static Microsoft.Playwright.Assertions;

namespace PaperBot.Tests.Browser;

/// <summary>
/// The admin page in headless Chromium against the real host and a fake Bot API: log in, import the sample, see both
/// previews, publish to subscribers, watch the progress bar stand at 25% while the fake holds the rest and reach 100%
/// once it lets them through, find a subscriber, log out.
/// </summary>
public sealed class AdminBrowserTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    private const int Subscribers = 40;
    private const long FirstChat = 10_001;

    [SkippableFact]
    public async Task AnAdminImportsPreviewsPublishesWatchesTheProgressFindsASubscriberAndLogsOut()
    {
        var browser = await chromium.BrowserAsync();
        await using var api = await FakeBotApi.StartAsync();
        using var app = new PaperBotApp(AdminSession.WithPassword(
            ("Telegram:BotToken", FakeBotApi.Token),
            ("Telegram:ApiBaseUrl", api.BaseUrl.ToString()),
            ("Telegram:PollingTimeoutSeconds", "5"),
            ("Samples:ImportOnFirstStart", "false")));
        var site = LiveHost.Start(app);
        await SubscriberSeed.InsertAsync(app.DatabasePath, FirstChat, Subscribers);
        await SpreadOverAMonthAsync(app.DatabasePath);
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1360, Height = 1240 }, BaseURL = site.ToString() });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(20_000);
        page.Dialog += (_, dialog) => dialog.AcceptAsync();

        await page.GotoAsync("/admin");
        await Expect(page).ToHaveURLAsync(new Regex("/admin/login\\?returnUrl=%2Fadmin$"));
        await page.FillAsync("#password", "wrong password");
        await page.ClickAsync("button[type=submit]");
        await Expect(page.Locator("#login-error")).ToContainTextAsync("Wrong password");
        await page.FillAsync("#password", AdminSession.Password);
        await page.ClickAsync("button[type=submit]");
        await Expect(page.Locator("h1")).ToHaveTextAsync("Dashboard");
        await Expect(page.Locator("#active-subscribers")).ToHaveTextAsync(Subscribers.ToString(CultureInfo.InvariantCulture));

        await page.ClickAsync("nav >> text=Issues");
        await page.SetInputFilesAsync("#import-file", Path.Combine(AppContext.BaseDirectory, "samples", "digest-sample.txt"));
        await page.ClickAsync("#import-submit");
        await Expect(page).ToHaveURLAsync(new Regex("/admin/issues/1$"));
        await Expect(page.Locator(".notice.ok")).ToContainTextAsync("Imported issue 1 with 14 papers");
        await Expect(page.Locator("#issue-status")).ToHaveTextAsync("draft");

        var telegram = page.Locator("#telegram-preview");
        var wechat = page.Locator("#wechat-preview");
        await Expect(telegram.Locator(".tg-bubble").First).ToContainTextAsync("📬 第 1 期");
        await Expect(telegram.Locator(".tg-bubble b").First).ToBeVisibleAsync();
        await Expect(telegram.Locator(".tg-keyboard .tg-button").First).ToBeVisibleAsync();
        await Expect(wechat.Locator(".wx-bubble")).ToContainTextAsync("📬 第 1 期");
        await Expect(wechat.Locator(".wx-card")).ToHaveAttributeAsync("href", new Regex("/issues/1/papers/1$"));
        var telegramBox = await telegram.BoundingBoxAsync();
        var wechatBox = await wechat.BoundingBoxAsync();
        Assert.True(wechatBox!.X > telegramBox!.X + telegramBox.Width - 1, "the two previews stand side by side");
        await page.SelectOptionAsync("#preview-topic", "long-context");
        await Expect(page).ToHaveURLAsync(new Regex("topic=long-context"));
        await Expect(telegram.Locator(".tg-bubble").First).ToContainTextAsync("UC 伯克利提出 LLoCO");
        await Expect(telegram.Locator(".tg-bubble").First).Not.ToContainTextAsync("Concept Weaver");
        await page.SelectOptionAsync("#preview-topic", "");
        await Expect(page).ToHaveURLAsync(new Regex("topic=&"));
        await page.WaitForLoadStateAsync(LoadState.Load);
        await page.EvaluateAsync("window.scrollTo(0, 0)");
        await Screenshots.SaveAsync(page, "admin.png");

        // The fake Bot API answers ten messages and holds the rest: the page shows the push a quarter done, then done.
        api.HoldAfter("sendMessage", 10);
        await page.ClickAsync("#publish-now");
        await Expect(page).ToHaveURLAsync(new Regex("/admin/pushes/[0-9]+$"));
        await Expect(page.Locator("[data-field=percent]")).ToHaveTextAsync("25");
        await Expect(page.Locator("[data-field=sent]")).ToHaveTextAsync("10");
        await Expect(page.Locator("[data-field=remaining]")).ToHaveTextAsync("30");
        await Expect(page.Locator("[data-field=state]")).ToHaveTextAsync("sending…");
        api.Release("sendMessage");
        await Expect(page.Locator("[data-field=percent]")).ToHaveTextAsync("100", new() { Timeout = 30_000 });
        await Expect(page.Locator("[data-field=state]")).ToHaveTextAsync("done");
        await Expect(page.Locator("[data-field=sent]")).ToHaveTextAsync(Subscribers.ToString(CultureInfo.InvariantCulture));
        await Expect(page.Locator("[data-field=remaining]")).ToHaveTextAsync("0");
        await Expect(page.Locator(".progress-fill")).ToHaveAttributeAsync("style", new Regex("width:\\s*100%"));
        await page.WaitForTimeoutAsync(800);
        await Screenshots.SaveAsync(page, "admin-progress.png");
        Assert.Equal(Subscribers, api.CallsTo("sendMessage").Count(c => c.Text.Contains("📬", StringComparison.Ordinal)));

        await page.ClickAsync("nav >> text=Subscribers");
        await page.FillAsync("#subscriber-search", "10007");
        await page.ClickAsync("#subscriber-search-submit");
        await Expect(page.Locator("#subscriber-count")).ToHaveTextAsync("1 subscribers");
        await Expect(page.Locator("#subscriber-table tbody tr")).ToHaveCountAsync(1);
        await Expect(page.Locator("#subscriber-table tbody")).ToContainTextAsync("10007");

        await page.ClickAsync("nav >> text=Dashboard");
        await Screenshots.SaveAsync(page, "admin-dashboard.png", fullPage: true);
        await page.ClickAsync("#logout");
        await Expect(page).ToHaveURLAsync(new Regex("/admin/login"));
        await page.GotoAsync("/admin/subscribers");
        await Expect(page).ToHaveURLAsync(new Regex("/admin/login\\?returnUrl="));
    }

    /// <summary>Gives the seeded subscribers names, join days over the last month and topics that every issue covers, so the charts have a shape.</summary>
    private static async Task SpreadOverAMonthAsync(string databasePath)
    {
        string[] topics = ["long-context", "moe", "efficiency", "architecture", "multimodal", "open-models", "alignment"];
        await using var connection = new SqliteConnection($"Data Source={databasePath};Default Timeout=30");
        await connection.OpenAsync();
        for (var i = 0; i < Subscribers; i++)
        {
            var chat = (FirstChat + i).ToString(CultureInfo.InvariantCulture);
            var joined = DateTimeOffset.UtcNow.AddDays(-30 + (i * i % 31)).UtcTicks;
            await using var update = connection.CreateCommand();
            update.CommandText = """UPDATE "Subscribers" SET "DisplayName" = $name, "SubscribedAt" = $joined, "CreatedAt" = $joined WHERE "ChatId" = $chat""";
            update.Parameters.AddWithValue("$name", $"Reader {i + 1}");
            update.Parameters.AddWithValue("$joined", joined);
            update.Parameters.AddWithValue("$chat", chat);
            await update.ExecuteNonQueryAsync();
            for (var t = 0; t < i % 3; t++)
            {
                await using var topic = connection.CreateCommand();
                topic.CommandText = """INSERT INTO "SubscriberTopics" ("SubscriberId", "Topic") SELECT "Id", $topic FROM "Subscribers" WHERE "ChatId" = $chat""";
                topic.Parameters.AddWithValue("$topic", topics[(i + (t * 3)) % topics.Length]);
                topic.Parameters.AddWithValue("$chat", chat);
                await topic.ExecuteNonQueryAsync();
            }
        }
    }
}
