using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using PaperBot.Channels.Telegram;
using PaperBot.Channels.WeChat;
using PaperBot.Tests.Channels.Telegram;
using PaperBot.Tests.Cli;

namespace PaperBot.Tests.Hosting;

/// <summary>Every way a test starts the program stays off the developer's bot and off the internet (tests/Shared/TestIsolation.cs).</summary>
public sealed class TestIsolationTests
{
    [Fact]
    public void ATestHostRunsAsProductionWithoutUserSecretsAndWithItsApisOnTheDiscardPort()
    {
        using var app = new PaperBotApp();

        var configuration = (IConfigurationRoot)app.Services.GetRequiredService<IConfiguration>();
        Assert.Equal("Production", app.Services.GetRequiredService<IHostEnvironment>().EnvironmentName);
        Assert.DoesNotContain(configuration.Providers.OfType<JsonConfigurationProvider>(), p => p.Source.Path == "secrets.json");
        Assert.Equal("http://127.0.0.1:9", app.Services.GetRequiredService<IOptions<TelegramOptions>>().Value.ApiBaseUrl);
        Assert.Equal("http://127.0.0.1:9", app.Services.GetRequiredService<IOptions<WeChatOptions>>().Value.ApiBaseUrl);
    }

    [Fact]
    public void ATestHostStillRefusesAScopedServiceFromTheRootProvider()
    {
        using var app = new PaperBotApp();

        var error = Assert.Throws<InvalidOperationException>(() => app.Services.GetRequiredService<Core.Data.PaperBotDbContext>());
        Assert.StartsWith("Cannot resolve scoped service 'PaperBot.Core.Data.PaperBotDbContext' from root provider.", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Telegram:ApiBaseUrl", "https://api.telegram.org")]
    [InlineData("Telegram:ApiBaseUrl", "http://10.0.0.5:8081")]
    [InlineData("WeChat:ApiBaseUrl", "https://api.weixin.qq.com")]
    [InlineData("Arxiv:ApiBaseUrl", "https://export.arxiv.org/api")]
    public void ATestHostGivenAnApiOffThisMachineRefusesToStart(string key, string url)
    {
        using var app = new PaperBotApp(new Dictionary<string, string?> { ["Telegram:BotToken"] = FakeBotApi.Token, [key] = url });

        var error = Assert.Throws<InvalidOperationException>(() => app.CreateClient());

        Assert.Equal($"test isolation: {key} is '{url}', which is not on 127.0.0.1 or localhost; a test host may only call fakes on this machine", error.Message);
        Assert.False(File.Exists(app.DatabasePath), "the host was built but never started: no database was created");
    }

    [Fact]
    public void AHostProcessGivenAnApiOffThisMachineIsNeverStarted()
    {
        var error = Assert.Throws<InvalidOperationException>(() => HostProcess.Start(new Dictionary<string, string>
        {
            ["Telegram__BotToken"] = FakeBotApi.Token,
            ["Telegram__ApiBaseUrl"] = "https://api.telegram.org",
        }));

        Assert.Equal("test isolation: Telegram__ApiBaseUrl is 'https://api.telegram.org', which is not on 127.0.0.1 or localhost; a test host may only call fakes on this machine", error.Message);
    }

    [Fact]
    public async Task ACommandLineVerbGivenAnApiOffThisMachineRefusesToRun()
    {
        using var cli = new CliRunner(new Dictionary<string, string?> { ["WeChat:ApiBaseUrl"] = "https://api.weixin.qq.com" });

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => cli.RunAsync("issues"));

        Assert.Equal("test isolation: WeChat:ApiBaseUrl is 'https://api.weixin.qq.com', which is not on 127.0.0.1 or localhost; a test host may only call fakes on this machine", error.Message);
        Assert.False(File.Exists(Path.Combine(cli.Directory, "paperbot.db")));
    }
}

/// <summary>
/// A developer's shell with a live bot's settings. These tests set process-wide variables, so they run alone, after
/// the others; each host start clears them again, which is what they prove.
/// </summary>
[Collection(RunsAlone.Name)]
public sealed class DeveloperEnvironmentTests : IDisposable
{
    private const string DeveloperToken = "987654321:AAHdeveloper-Live-Token_0123456789";

    private static readonly Dictionary<string, string> Developer = new()
    {
        ["Telegram__BotToken"] = DeveloperToken,
        ["telegram__webhookurl"] = "https://developer.example.com/telegram/webhook",
        ["ASPNETCORE_WeChat__Token"] = "developerToken",
        ["DOTNET_ENVIRONMENT"] = "Development",
    };

    public DeveloperEnvironmentTests()
    {
        foreach (var (name, value) in Developer)
            Environment.SetEnvironmentVariable(name, value);
    }

    public void Dispose()
    {
        foreach (var name in Developer.Keys)
            Environment.SetEnvironmentVariable(name, null);
    }

    [Fact]
    public void TheDevelopersBotSettingsDoNotReachATestHost()
    {
        using var app = new PaperBotApp();

        var telegram = app.Services.GetRequiredService<IOptions<TelegramOptions>>().Value;
        Assert.Equal("", telegram.BotToken);
        Assert.Equal("", telegram.WebhookUrl);
        Assert.Equal("", app.Services.GetRequiredService<IOptions<WeChatOptions>>().Value.Token);
        Assert.All(Developer.Keys, name => Assert.Null(Environment.GetEnvironmentVariable(name)));
    }

    [Fact]
    public async Task TheDevelopersBotSettingsDoNotReachAHostProcess()
    {
        await using var host = HostProcess.Start();

        Assert.True(await host.WaitForHealthyAsync(TimeSpan.FromSeconds(30)), host.Output + host.Error);
        Assert.Contains("telegram: off; set Telegram__BotToken to a token from @BotFather to turn it on", host.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(DeveloperToken, host.Output + host.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheDevelopersBotSettingsDoNotReachACommandLineVerb()
    {
        using var cli = new CliRunner();

        var (exit, output, _) = await cli.RunAsync("config");

        Assert.Equal(0, exit);
        var lines = output.Split('\n');
        Assert.Contains("Telegram:BotToken = ", lines);
        Assert.Contains("Telegram:WebhookUrl = ", lines);
        Assert.Contains("WeChat:Token = ", lines);
    }
}
