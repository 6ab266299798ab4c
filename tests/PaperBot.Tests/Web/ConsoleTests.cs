using System.Net;
using System.Net.Http.Json;
using System.Text;

namespace PaperBot.Tests.Web;

public sealed class ConsoleTests
{
    [Fact]
    public async Task TheConsoleAnswersInTheLanguageChosenOnTheSiteOverTheBrowsers()
    {
        using var app = new PaperBotApp();
        var browser = app.CreateClient();
        browser.DefaultRequestHeaders.Add("Accept-Language", "zh-CN,zh;q=0.9");

        await browser.GetStringAsync("/?lang=en");
        var english = await browser.ChatAsync("/paper 99");
        await browser.GetStringAsync("/?lang=zh");
        var chinese = await browser.ChatAsync("/paper 99");

        Assert.Equal("This issue has papers 1–14; there is no paper 99. Try /paper 1 to /paper 14.", Assert.Single(english.Replies).Text);
        Assert.Equal("本期共有论文 1–14 篇,没有第 99 篇。试试 /paper 1 到 /paper 14。", Assert.Single(chinese.Replies).Text);
    }

    [Fact]
    public async Task ConsoleAnswersPaperFourWithRho1AndItsArxivLink()
    {
        using var app = new PaperBotApp();
        var chat = await app.CreateClient().ChatAsync("/paper 4");

        var reply = Assert.Single(chat.Replies);
        Assert.Contains("Rho-1", reply.Text, StringComparison.Ordinal);
        Assert.Contains("https://arxiv.org/abs/2404.07965", reply.Text, StringComparison.Ordinal);
        Assert.Contains(reply.Buttons, b => b.Url == "https://arxiv.org/abs/2404.07965" && b.Data is null);
        Assert.Contains(reply.Buttons, b => b.Data == "n:1:5" && b.Url is null);
    }

    [Fact]
    public async Task ButtonsSendTheirDataBack()
    {
        using var app = new PaperBotApp();
        var chat = await app.CreateClient().PressAsync("n:1:5");
        Assert.Contains("LLoCO", Assert.Single(chat.Replies).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EachBrowserKeepsItsOwnTopics()
    {
        using var app = new PaperBotApp();
        var alice = app.CreateClient();
        var bob = app.CreateClient();

        await alice.ChatAsync("/topics add moe");
        var bobs = await bob.ChatAsync("/topics");
        var alices = await alice.ChatAsync("/topics");

        Assert.Contains(alices.Replies[0].Buttons, b => b.Data == "t:moe" && b.Text.StartsWith('✓'));
        Assert.DoesNotContain(bobs.Replies[0].Buttons, b => b.Text.StartsWith('✓'));
    }

    [Theory]
    [InlineData("{\"text\":", HttpStatusCode.BadRequest, "not valid JSON")]
    [InlineData("{}", HttpStatusCode.BadRequest, "/help")]
    [InlineData("[1,2]", HttpStatusCode.BadRequest, "not valid JSON")]
    public async Task MalformedBodiesGetAShortError(string body, HttpStatusCode status, string message)
    {
        using var app = new PaperBotApp();
        var response = await app.CreateClient().PostAsync("/api/chat", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(status, response.StatusCode);
        Assert.Contains(message, (await response.Content.ReadFromJsonAsync<Dictionary<string, string>>())!["error"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task ABodyLargerThanOneBufferIsReadWhole()
    {
        using var app = new PaperBotApp();
        var body = "{\"text\": \"/paper 4\"" + new string(' ', 12_000) + "}";

        var response = await app.CreateClient().PostAsync("/api/chat", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Rho-1", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OversizedBodiesAreRefusedUnread()
    {
        using var app = new PaperBotApp();
        var response = await app.CreateClient().PostAsJsonAsync("/api/chat", new { text = new string('x', 40_000) });
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task TheConsoleIsRateLimitedPerAddress()
    {
        using var app = new PaperBotApp(new Dictionary<string, string?> { ["Web:ConsoleMessagesPerMinute"] = "3" });
        var client = app.CreateClient();
        for (var i = 0; i < 3; i++)
            await client.ChatAsync("/help");

        var response = await client.PostAsJsonAsync("/api/chat", new { text = "/help" });

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
    }
}
