using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace PaperBot.Tests.Browser;

/// <summary>The archive and the chat console in headless Chromium, on a phone (390×844) and a desktop.</summary>
public sealed class PublicSiteBrowserTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    private static async Task<(IBrowserContext Context, IPage Page)> OpenAsync(IBrowser browser, Uri site, int width, int height, bool phone)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = width, Height = height },
            BaseURL = site.ToString(),
            IsMobile = phone,
            HasTouch = phone,
            DeviceScaleFactor = phone ? 2 : 1,
            Locale = "zh-CN",
        });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(15_000);
        return (context, page);
    }

    private static Task<bool> FitsTheScreenAsync(IPage page) =>
        page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth");

    [SkippableFact]
    public async Task OnAPhoneTheArchiveFitsAndTheConsoleAnswersPaperFourWithRho1()
    {
        var browser = await chromium.BrowserAsync();
        using var app = new PaperBotApp();
        var site = LiveHost.Start(app);
        var (context, page) = await OpenAsync(browser, site, 390, 844, phone: true);
        await using var _ = context;

        await page.GotoAsync("/");
        await Expect(page.Locator("h1")).ToHaveTextAsync("PaperBot");
        await Expect(page.Locator(".issue-view h2")).ToContainTextAsync("第 1 期");
        Assert.True(await FitsTheScreenAsync(page), "the home page scrolls sideways at 390 px");
        await Screenshots.SaveAsync(page, "archive-phone.png");

        await page.FillAsync("#console-input", "/paper 4");
        await page.PressAsync("#console-input", "Enter");
        var answer = page.Locator(".bubble.bot", new() { HasText = "Rho-1" });
        await Expect(answer).ToBeVisibleAsync();
        await Expect(answer.Locator(".buttons a", new() { HasText = "arXiv" }).Or(answer.Locator(".buttons a").First)).ToBeVisibleAsync();
        await answer.Locator(".buttons button").Last.ClickAsync();
        await Expect(page.Locator(".bubble.bot").Last).ToContainTextAsync("LLoCO");
        Assert.True(await FitsTheScreenAsync(page), "the console scrolls sideways at 390 px");
        await page.Locator("#console").ScrollIntoViewIfNeededAsync();
        await Screenshots.SaveAsync(page, "console-phone.png");

        await page.GotoAsync("/issues/1/papers/4");
        await Expect(page.Locator(".paper h3")).ToContainTextAsync("Rho-1");
        Assert.True(await FitsTheScreenAsync(page), "a paper page scrolls sideways at 390 px");
        await page.GotoAsync("/search?q=" + Uri.EscapeDataString("长上下文"));
        await Expect(page.Locator(".results li").First).ToBeVisibleAsync();
        Assert.True(await FitsTheScreenAsync(page), "the search page scrolls sideways at 390 px");
    }

    [SkippableFact]
    public async Task OnADesktopTheArchiveIsChineseWithARememberedEnglishSwitch()
    {
        var browser = await chromium.BrowserAsync();
        using var app = new PaperBotApp();
        var site = LiveHost.Start(app);
        var (context, page) = await OpenAsync(browser, site, 1280, 900, phone: false);
        await using var _ = context;

        await page.GotoAsync("/");
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "zh-CN");
        await Expect(page.Locator("#archive h2")).ToHaveTextAsync("往期");
        await Screenshots.SaveAsync(page, "archive.png");

        await page.ClickAsync("a.lang");
        await Expect(page.Locator("#archive h2")).ToHaveTextAsync("Archive");
        await page.ClickAsync("#archive a");
        await Expect(page).ToHaveURLAsync(new Regex("/issues/1$"));
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "en");
        await page.ClickAsync("a.lang");
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "zh-CN");
    }
}
