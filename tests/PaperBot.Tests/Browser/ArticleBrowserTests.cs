using System.Text.RegularExpressions;
using Microsoft.Playwright;
using PaperBot.TestServices;
using PaperBot.Tests.Admin;
using static Microsoft.Playwright.Assertions;

namespace PaperBot.Tests.Browser;

/// <summary>The admin page's WeChat article tab in headless Chromium: the phone preview in light and dark reading, and the copy button.</summary>
public sealed class ArticleBrowserTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    [SkippableFact]
    public async Task TheArticleTabShowsThePhonePreviewInLightAndDarkReadingAndCopiesTheArticleAsRichText()
    {
        Requirements.CjkFont();
        var browser = await chromium.BrowserAsync();
        using var app = new PaperBotApp(AdminSession.WithPassword(
            ("WeChat:Article:Author", "PaperBot 编辑部"),
            ("WeChat:Article:Footer", "点击关注我 👇 记得标星")));
        var site = LiveHost.Start(app);
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 1280, Height = 1000 },
            BaseURL = site.ToString(),
            Locale = "zh-CN",
        });
        await context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"], new BrowserContextGrantPermissionsOptions { Origin = site.GetLeftPart(UriPartial.Authority) });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(20_000);

        await page.GotoAsync("/admin/login?returnUrl=%2Fadmin%2Fissues%2F1");
        await page.FillAsync("#password", AdminSession.Password);
        await page.ClickAsync("button[type=submit]");
        await page.ClickAsync("#tab-article");
        await Expect(page).ToHaveURLAsync(new Regex("/admin/issues/1/article$"));

        var frame = page.FrameLocator("#article-frame");
        await Expect(frame.Locator("h1")).ToHaveTextAsync("第1期｜本周值得关注的大模型 / AIGC 前沿研究");
        await Expect(frame.Locator("h2").First).ToHaveTextAsync("1.超越 Transformer:Google DeepMind 提出高效开放语言模型");
        await Expect(frame.Locator(".meta")).ToHaveTextAsync("PaperBot 编辑部 · PaperBot");
        await Expect(frame.Locator("img")).ToHaveJSPropertyAsync("naturalWidth", 900);
        Assert.Equal(390, (await page.Locator(".phone").BoundingBoxAsync())!.Width - 20);
        await Screenshots.SaveAsync(page.Locator(".phone"), "article-phone-light.png");

        await page.ClickAsync("#article-theme");
        await Expect(page).ToHaveURLAsync(new Regex("theme=dark$"));
        await Expect(frame.Locator("body")).ToHaveCSSAsync("background-color", "rgb(25, 25, 25)");
        await Expect(frame.Locator("h2 span").First).ToHaveCSSAsync("color", "rgb(57, 148, 242)");
        await Screenshots.SaveAsync(page.Locator(".phone"), "article-phone-dark.png");

        await page.ClickAsync("#copy-article");
        await Expect(page.Locator("#copy-status")).ToHaveTextAsync("Copied: paste it into a new article in WeChat’s editor.");
        var copied = await page.EvaluateAsync<string>("async () => { const [item] = await navigator.clipboard.read(); return await (await item.getType('text/html')).text(); }");
        Assert.Contains("<p>论文链接: https://arxiv.org/abs/2404.07839</p>", copied, StringComparison.Ordinal);
        Assert.DoesNotContain("<img", copied, StringComparison.Ordinal);
    }
}
