using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using PaperBot.Core.Issues;
using PaperBot.Tests.Channels.Telegram;
using PaperBot.Tests.Channels.WeChat;
using PaperBot.TestServices;
using PaperBot.WeChat;

namespace PaperBot.Tests.Cluster;

/// <summary>Two hosts on one PostgreSQL database: what only one instance may do is done once.</summary>
public sealed class ClusterTests
{
    private static Dictionary<string, string?> OnDatabase(PostgresDatabase database, params (string Key, string? Value)[] more)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "Postgres",
            ["ConnectionStrings:PaperBot"] = database.ConnectionString,
        };
        foreach (var (key, value) in more)
            settings[key] = value;
        return settings;
    }

    [SkippableFact]
    public async Task TheWeeklyPushFiresOnceForTheCluster()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero));
        var firstLogs = new LogCapture();
        var secondLogs = new LogCapture();
        using var first = new PaperBotApp(OnDatabase(database, ("Logging:LogLevel:Default", "Information"))).WithService<TimeProvider>(clock).WithLogs(firstLogs);
        first.CreateClient();
        using var second = new PaperBotApp(OnDatabase(database, ("Samples:ImportOnFirstStart", "false"), ("Logging:LogLevel:Default", "Information"))).WithService<TimeProvider>(clock).WithLogs(secondLogs);
        second.CreateClient();
        int ready;
        await using (var scope = first.Services.CreateAsyncScope())
        {
            var text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "samples", "digest-sample.txt")).Replace("超越 Transformer", "下周一", StringComparison.Ordinal);
            ready = ((ImportOutcome.Imported)await scope.ServiceProvider.GetRequiredService<IssueImporter>().ImportAsync(text, null, "test", CancellationToken.None)).IssueId;
            await scope.ServiceProvider.GetRequiredService<IssueScheduler>().ScheduleAsync(ready, null, "test", CancellationToken.None);
        }

        clock.SetUtcNow(new DateTimeOffset(2026, 11, 23, 1, 0, 1, TimeSpan.Zero));

        await Eventually.AssertAsync(async () => await first.QueryAsync(db => db.Issues.AnyAsync(i => i.Id == ready && i.Status == IssueStatus.Published)), "the weekly push");
        await Task.Delay(2000);
        Assert.Equal(1, await first.QueryAsync(db => db.Pushes.CountAsync(p => p.IssueId == ready)));
        Assert.DoesNotContain(firstLogs.Lines.Concat(secondLogs.Lines), l => l.Contains("already published an issue", StringComparison.Ordinal));
    }

    [SkippableFact]
    public async Task OnlyOneInstanceLongPollsTheOtherSaysWhyAndTakesOverWhenItStops()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        await using var api = await FakeBotApi.StartAsync();
        var telegram = new (string, string?)[]
        {
            ("Telegram:BotToken", FakeBotApi.Token),
            ("Telegram:ApiBaseUrl", api.BaseUrl.ToString()),
            ("Telegram:PollingTimeoutSeconds", "1"),
            ("Logging:LogLevel:Default", "Information"),
        };
        var secondLogs = new LogCapture();
        var first = new PaperBotApp(OnDatabase(database, telegram));
        first.CreateClient();
        await api.WaitForAsync(calls => calls.Any(c => c.Method == "getUpdates"), "the first instance to poll");
        using var second = new PaperBotApp(OnDatabase(database, [.. telegram, ("Samples:ImportOnFirstStart", "false")])).WithLogs(secondLogs);
        second.CreateClient();

        Assert.True(await secondLogs.WaitForAsync("telegram: long polling is held by instance", TimeSpan.FromSeconds(20)));
        Assert.Contains(secondLogs.Lines, l => l.Contains("Telegram__WebhookUrl lets every instance answer", StringComparison.Ordinal));
        Assert.DoesNotContain(secondLogs.Lines, l => l.Contains("unable to fetch updates", StringComparison.Ordinal));

        first.Dispose();
        Assert.True(await secondLogs.WaitForAsync("telegram: took over long polling", TimeSpan.FromSeconds(20)), string.Join("\n", secondLogs.Lines));
    }

    [SkippableFact]
    public async Task TheWeChatAccessTokenIsRefreshedOnceForTheCluster()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        await using var api = await FakeWeChatApi.StartAsync(WeChatHost.AppId, WeChatHost.AppSecret);
        var wechat = new (string, string?)[]
        {
            ("WeChat:Token", WeChatHost.Token),
            ("WeChat:AppId", WeChatHost.AppId),
            ("WeChat:AppSecret", WeChatHost.AppSecret),
            ("WeChat:EncodingAesKey", WeChatHost.EncodingAesKey),
            ("WeChat:ApiBaseUrl", api.BaseUrl.ToString()),
        };
        using var first = new PaperBotApp(OnDatabase(database, wechat));
        first.CreateClient();
        using var second = new PaperBotApp(OnDatabase(database, [.. wechat, ("Samples:ImportOnFirstStart", "false")]));
        second.CreateClient();
        await api.WaitForCallsAsync(FakeWeChatApi.MenuCreate, 2);
        Assert.Single(api.CallsTo(FakeWeChatApi.Token));

        api.ExpireTokens();
        api.TokenDelay = TimeSpan.FromMilliseconds(300);
        var clients = new[] { first, second }.Select(app => app.Services.GetRequiredService<WeChatApiClient>()).ToList();
        await Task.WhenAll(Enumerable.Range(0, 40).Select(i => Task.Run(() => clients[i % 2].SendCustomTextAsync($"oCluster{i}", "本周论文"))));

        Assert.Equal(2, api.CallsTo(FakeWeChatApi.Token).Count);
        var accepted = api.Accepted(FakeWeChatApi.CustomSend);
        Assert.Equal(40, accepted.Select(c => c.ToUser).Distinct().Count());
    }
}
