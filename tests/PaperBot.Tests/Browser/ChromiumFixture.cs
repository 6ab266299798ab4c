using Microsoft.Playwright;
using PaperBot.TestServices;

namespace PaperBot.Tests.Browser;

/// <summary>
/// One headless Chromium per test class, Debian's own build driven by Playwright (no browser download):
/// launched by the first test that asks, after <see cref="Requirements.Chromium"/> has decided to skip or not.
/// </summary>
public sealed class ChromiumFixture : IAsyncLifetime
{
    private static readonly string[] Arguments =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--disable-background-networking", "--disable-component-update", "--no-first-run",
    ];

    private IPlaywright? playwright;
    private IBrowser? browser;

    public async Task<IBrowser> BrowserAsync()
    {
        var path = Requirements.Chromium();
        if (browser is not null)
            return browser;
        playwright = await Playwright.CreateAsync();
        browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = path, Headless = true, Args = Arguments });
        return browser;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (browser is not null)
            await browser.DisposeAsync();
        playwright?.Dispose();
    }
}

/// <summary>Where a test saves its screenshots: the directory PAPERBOT_SCREENSHOTS names, or nowhere.</summary>
public static class Screenshots
{
    public static async Task SaveAsync(IPage page, string name, bool fullPage = false)
    {
        if (Environment.GetEnvironmentVariable("PAPERBOT_SCREENSHOTS") is not { Length: > 0 } directory)
            return;
        Directory.CreateDirectory(directory);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(directory, name), FullPage = fullPage });
    }

    /// <summary>One element of the page (the article's phone frame, say).</summary>
    public static async Task SaveAsync(ILocator element, string name)
    {
        if (Environment.GetEnvironmentVariable("PAPERBOT_SCREENSHOTS") is not { Length: > 0 } directory)
            return;
        Directory.CreateDirectory(directory);
        await element.ScreenshotAsync(new LocatorScreenshotOptions { Path = Path.Combine(directory, name) });
    }

    /// <summary>An image the program made itself (the WeChat cover), saved beside the screenshots.</summary>
    public static async Task SaveAsync(string name, byte[] image)
    {
        if (Environment.GetEnvironmentVariable("PAPERBOT_SCREENSHOTS") is not { Length: > 0 } directory)
            return;
        Directory.CreateDirectory(directory);
        await File.WriteAllBytesAsync(Path.Combine(directory, name), image);
    }
}
