using Microsoft.Extensions.Configuration;
using PaperBot.TestServices;

namespace PaperBot.Core.Tests;

/// <summary>The fixture that keeps test runs off the developer's bot (tests/Shared/TestIsolation.cs), and the core's harness using it.</summary>
public sealed class TestIsolationTests
{
    [Theory]
    [InlineData("Telegram__BotToken", true)]
    [InlineData("TELEGRAM__BOTTOKEN", true)]
    [InlineData("DOTNET_Telegram__BotToken", true)]
    [InlineData("ASPNETCORE_WeChat__AppSecret", true)]
    [InlineData("ConnectionStrings__PaperBot", true)]
    [InlineData("Admin__Password", true)]
    [InlineData("Admins__Telegram__0", true)]
    [InlineData("Storage__Provider", true)]
    [InlineData("Metrics__Token", true)]
    [InlineData("Web__PublicUrl", true)]
    [InlineData("Arxiv__ApiBaseUrl", true)]
    [InlineData("Delivery__MessagesPerSecond", true)]
    [InlineData("DOTNET_ENVIRONMENT", true)]
    [InlineData("ASPNETCORE_ENVIRONMENT", true)]
    [InlineData("PAPERBOT_TEST_POSTGRES", false)]
    [InlineData("PAPERBOT_REQUIRE_SERVICES", false)]
    [InlineData("PATH", false)]
    [InlineData("HOME", false)]
    [InlineData("TelegramBotToken", false)]
    [InlineData("DOTNET_CLI_HOME", false)]
    public void TheBotsSettingsAndTheEnvironmentNameAreTheDevelopersToClear(string variable, bool cleared)
    {
        Assert.Equal(cleared, TestIsolation.IsDeveloperSetting(variable));
    }

    [Theory]
    [InlineData("http://127.0.0.1:9")]
    [InlineData("http://localhost:8081/")]
    [InlineData("http://[::1]:5000")]
    [InlineData("")]
    [InlineData("api.telegram.org")]
    public void AnApiOnThisMachineOrNoUrlAtAllIsAllowed(string url)
    {
        TestIsolation.EnsureLocal(new Dictionary<string, string?> { ["Telegram:ApiBaseUrl"] = url });
    }

    [Fact]
    public void UserSecretsInAHostsConfigurationStopIt()
    {
        var configuration = new ConfigurationBuilder().AddUserSecrets("paperbot").Build();

        var error = Assert.Throws<InvalidOperationException>(() => TestIsolation.EnsureIsolated(configuration));

        Assert.StartsWith("test isolation: the host reads user secrets (", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("); run test hosts outside Development", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheCoreHarnessGivenAnApiOffThisMachineRefusesToStart()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            CoreHarness.StartAsync(settings: new Dictionary<string, string?> { ["Arxiv:ApiBaseUrl"] = "https://export.arxiv.org/api" }));

        Assert.Equal("test isolation: Arxiv:ApiBaseUrl is 'https://export.arxiv.org/api', which is not on 127.0.0.1 or localhost; a test host may only call fakes on this machine", error.Message);
    }
}
