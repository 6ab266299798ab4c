using PaperBot.Channels.Telegram;

namespace PaperBot.Tests.Channels.Telegram;

public sealed class TelegramOptionsTests
{
    [Fact]
    public void TheDefaultsAreValidAndMeanOff()
    {
        var options = new TelegramOptions();
        Assert.Empty(options.Validate());
        Assert.False(options.Enabled);
        Assert.False(options.UsesWebhook);
    }

    [Theory]
    [InlineData("BotToken", "123456:ABC-def_GHI", null)]
    [InlineData("BotToken", "not a token", "Telegram:BotToken does not look like a token from @BotFather")]
    [InlineData("BotToken", "123456ABC", "Telegram:BotToken does not look like a token from @BotFather")]
    [InlineData("ApiBaseUrl", "http://127.0.0.1:8081", null)]
    [InlineData("ApiBaseUrl", "api.telegram.org", "Telegram:ApiBaseUrl must be an absolute http(s) URL, not 'api.telegram.org'")]
    [InlineData("ApiBaseUrl", "ftp://api.telegram.org", "Telegram:ApiBaseUrl must be an absolute http(s) URL")]
    [InlineData("WebhookUrl", "https://bot.example.com/telegram/webhook", null)]
    [InlineData("WebhookUrl", "http://localhost:5080/telegram/webhook", null)]
    [InlineData("WebhookUrl", "http://bot.example.com/telegram/webhook", "Telegram:WebhookUrl must be an absolute https URL (http only for localhost)")]
    [InlineData("WebhookUrl", "/telegram/webhook", "Telegram:WebhookUrl must be an absolute https URL")]
    [InlineData("WebhookSecret", "has spaces in it", "Telegram:WebhookSecret must be 1-256 characters of A-Z, a-z, 0-9, _ and -")]
    [InlineData("WebhookSecret", "ünïcode", "Telegram:WebhookSecret must be 1-256 characters")]
    [InlineData("Channel", "@paperbot_weekly", null)]
    [InlineData("Channel", "-1001234567890", null)]
    [InlineData("Channel", "paperbot_weekly", "Telegram:Channels:0 must be a channel id such as -1001234567890 or a public @name, not 'paperbot_weekly'")]
    [InlineData("PollingTimeoutSeconds", "0", "Telegram:PollingTimeoutSeconds must be between 1 and 50, not 0")]
    [InlineData("PollingTimeoutSeconds", "51", "Telegram:PollingTimeoutSeconds must be between 1 and 50, not 51")]
    public void EachWrongSettingIsOneLineNamingTheKey(string setting, string value, string? problem)
    {
        var options = new TelegramOptions { WebhookSecret = setting == "WebhookUrl" ? "s3cret" : "" };
        switch (setting)
        {
            case "BotToken": options.BotToken = value; break;
            case "ApiBaseUrl": options.ApiBaseUrl = value; break;
            case "WebhookUrl": options.WebhookUrl = value; break;
            case "WebhookSecret": options.WebhookSecret = value; break;
            case "Channel": options.Channels = [value]; break;
            default: options.PollingTimeoutSeconds = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture); break;
        }

        var problems = options.Validate().ToList();

        if (problem is null)
        {
            Assert.Empty(problems);
        }
        else
        {
            var line = Assert.Single(problems);
            Assert.StartsWith(problem, line, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void AWebhookNeedsASecret()
    {
        var problems = new TelegramOptions { WebhookUrl = "https://bot.example.com/telegram/webhook" }.Validate();
        Assert.Equal(["Telegram:WebhookSecret is required with Telegram:WebhookUrl (1-256 characters: A-Z, a-z, 0-9, _ and -)"], problems);
    }

    [Fact]
    public void AMalformedTokenIsNeverEchoed()
    {
        const string token = "12345:has a space";
        Assert.DoesNotContain(new TelegramOptions { BotToken = token }.Validate(), p => p.Contains(token, StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheProgramRefusesToStartWithAWrongTelegramSettingInOneLine()
    {
        await using var host = HostProcess.Start(new Dictionary<string, string>
        {
            ["Telegram__BotToken"] = FakeBotApi.Token,
            ["Telegram__WebhookUrl"] = "http://bot.example.com/hook",
            ["Telegram__WebhookSecret"] = "s3cret",
        });

        var exit = await host.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(2, exit);
        var line = Assert.Single(host.Error.Trim().Split('\n'));
        Assert.StartsWith("configuration: Telegram:WebhookUrl must be an absolute https URL (http only for localhost)", line, StringComparison.Ordinal);
        Assert.DoesNotContain(FakeBotApi.Token, host.Output + host.Error, StringComparison.Ordinal);
    }
}
