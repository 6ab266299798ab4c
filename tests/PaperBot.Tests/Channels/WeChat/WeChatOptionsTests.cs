using PaperBot.Channels.WeChat;

namespace PaperBot.Tests.Channels.WeChat;

public sealed class WeChatOptionsTests
{
    private static WeChatOptions Valid() => new()
    {
        Token = WeChatHost.Token,
        AppId = WeChatHost.AppId,
        AppSecret = WeChatHost.AppSecret,
        EncodingAesKey = WeChatHost.EncodingAesKey,
    };

    [Fact]
    public void WithoutATokenNothingIsChecked()
    {
        Assert.Empty(new WeChatOptions { EncodingAesKey = "short", PushMode = WeChatPushMode.MassSend }.Validate());
    }

    [Fact]
    public void AFullConfigurationAndTheDefaultMenuAreValid()
    {
        var options = Valid();
        options.Menu.Add(new WeChatMenuButtonOptions { Name = "最新", Key = "latest" });
        options.Menu.Add(new WeChatMenuButtonOptions { Name = "更多", SubButtons = [new() { Name = "帮助", Key = "help" }, new() { Name = "网站", Url = "https://papers.example.org/" }] });

        Assert.Empty(options.Validate());
        Assert.Equal(2, options.BuildMenu()!.Buttons.Count);
    }

    public static TheoryData<string, string> Problems => new()
    {
        { "Token=ab", "WeChat:Token must be 3 to 32 letters or digits" },
        { "EncodingAesKey=abc", "WeChat:EncodingAesKey must be 43 characters" },
        { "EncodingAesKey=kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1a!", "WeChat:EncodingAesKey must be 43 characters" },
        { "AppId=;AppSecret=", "WeChat:AppId is required with WeChat:EncodingAesKey" },
        { "EncodingAesKey=;AppId=", "WeChat:AppId is required with WeChat:AppSecret" },
        { "AppId=wx1234567890abcdef ", "WeChat:AppId must be letters and digits, at most 32" },
        { "AppId=\"wx1234567890abcdef\"", "WeChat:AppId must be letters and digits, at most 32" },
        { "AppId=wx1234567890abcdef1234567890abcdef", "WeChat:AppId must be letters and digits, at most 32" },
        { "AppSecret=;PushMode=MassSend", "WeChat:AppSecret is required with WeChat:PushMode MassSend" },
        { "AppSecret=;PushMode=CustomerService", "WeChat:AppSecret is required with WeChat:PushMode CustomerService" },
        { "ApiBaseUrl=api.weixin.qq.com", "WeChat:ApiBaseUrl must be an absolute http(s) URL" },
        { "ReplyBudget=00:00:05", "WeChat:ReplyBudget must be between 00:00:00 and 00:00:04.5" },
        { "MaxTimestampSkew=00:00:00", "WeChat:MaxTimestampSkew must be between" },
        { "Menu=最新最新最新最新|latest", "WeChat:Menu:0:Name '最新最新最新最新' is longer than 16 bytes" },
        { "Menu=最新|", "WeChat:Menu:0 needs exactly one of Key" },
        { "AppSecret=;PushMode=Article", "WeChat:AppSecret is required with WeChat:PushMode Article" },
        { "Author=PaperBot 编辑部与读者们的每周论文", "WeChat:Article:Author is longer than 16 characters (WeChat's limit)" },
        { "Cover=/nonexistent/cover.png", "WeChat:Article:Cover: no file at '/nonexistent/cover.png'" },
        { "Cover=README.md", "WeChat:Article:Cover: the image is neither PNG nor JPEG" },
        { "CoverFont=/nonexistent/font.ttc", "WeChat:Article:CoverFont: no file at '/nonexistent/font.ttc'" },
    };

    [Theory]
    [MemberData(nameof(Problems))]
    public void EachProblemIsOneLineNamingTheKey(string change, string problem)
    {
        var options = Valid();
        foreach (var setting in change.Split(';'))
        {
            var (key, value) = (setting.Split('=')[0], setting.Split('=', 2)[1]);
            switch (key)
            {
                case "Token": options.Token = value; break;
                case "EncodingAesKey": options.EncodingAesKey = value; break;
                case "AppId": options.AppId = value; break;
                case "AppSecret": options.AppSecret = value; break;
                case "PushMode": options.PushMode = Enum.Parse<WeChatPushMode>(value); break;
                case "ApiBaseUrl": options.ApiBaseUrl = value; break;
                case "ReplyBudget": options.ReplyBudget = TimeSpan.Parse(value, System.Globalization.CultureInfo.InvariantCulture); break;
                case "MaxTimestampSkew": options.MaxTimestampSkew = TimeSpan.Parse(value, System.Globalization.CultureInfo.InvariantCulture); break;
                case "Author": options.Article.Author = value; break;
                case "Cover": options.Article.Cover = value == "README.md" ? Path.Combine(AppContext.BaseDirectory, "PaperBot.Tests.deps.json") : value; break;
                case "CoverFont": options.Article.CoverFont = value; break;
                case "Menu": options.Menu.Add(new WeChatMenuButtonOptions { Name = value.Split('|')[0], Key = value.Split('|')[1] }); break;
            }
        }

        var line = Assert.Single(options.Validate());
        Assert.StartsWith(problem, line, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', line);
        Assert.DoesNotContain(WeChatHost.AppSecret, line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1024 * 1024 - 1, null)]
    [InlineData(1024 * 1024, "WeChat:Article:Cover: the image is 1 MB or larger; WeChat takes only images under 1 MB inside an article")]
    public void ACoverFileMustBeUnderOneMegabyte(int length, string? problem)
    {
        var cover = Path.Combine(Path.GetTempPath(), $"paperbot-cover-{Guid.NewGuid():N}.png");
        var bytes = new byte[length];
        new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }.CopyTo(bytes, 0);
        File.WriteAllBytes(cover, bytes);
        try
        {
            var options = Valid();
            options.Article.Cover = cover;

            Assert.Equal(problem is null ? [] : [problem], options.Validate());
        }
        finally
        {
            File.Delete(cover);
        }
    }

    [Theory]
    [InlineData("WeChat__EncodingAesKey", "too-short", "configuration: WeChat:EncodingAesKey must be 43 characters (letters and digits, as generated in the server configuration)")]
    [InlineData("WeChat__PushMode", "MassSend", "configuration: WeChat:AppSecret is required with WeChat:PushMode MassSend")]
    [InlineData("WeChat__PushMode", "Broadcast", "configuration: Failed to convert configuration value 'Broadcast' at 'WeChat:PushMode'")]
    public async Task TheProgramStopsWithOneLineNamingTheKey(string key, string value, string expected)
    {
        await using var host = HostProcess.Start(new Dictionary<string, string>
        {
            ["WeChat__Token"] = WeChatHost.Token,
            ["WeChat__AppId"] = WeChatHost.AppId,
            [key] = value,
        });

        Assert.Equal(2, await host.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        var line = Assert.Single(host.Error.Trim().Split('\n'));
        Assert.StartsWith(expected, line, StringComparison.Ordinal);
    }
}
