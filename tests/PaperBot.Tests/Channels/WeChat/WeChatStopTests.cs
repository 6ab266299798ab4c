using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using PaperBot.TestServices;

namespace PaperBot.Tests.Channels.WeChat;

/// <summary>What a reader loses when the bot is stopped for a deploy (SIGTERM: the host's StopAsync) while answering.</summary>
public sealed class WeChatStopTests
{
    // WeChat was answered "success" and the message is recorded as answered, so its retries bring nothing back: a reply
    // still being prepared when the stop comes has to go out before the host ends. The reply's work waits on the
    // subscribers table, held by another connection until the stop is under way (PostgreSQL: a lock that blocks reads).
    [SkippableFact]
    public async Task ASlowReplyStillBeingPreparedWhenTheHostStopsIsSentBeforeTheHostEnds()
    {
        Requirements.Postgres();
        await using var host = await WeChatHost.StartAsync(new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "Postgres",
            ["WeChat:ReplyBudget"] = "00:00:00",
        });
        await using var holder = new NpgsqlConnection(host.App.Postgres!.ConnectionString);
        await holder.OpenAsync();
        await using var hold = await holder.BeginTransactionAsync();
        await using (var lockTable = new NpgsqlCommand("""LOCK TABLE "Subscribers" IN ACCESS EXCLUSIVE MODE""", holder, hold))
            await lockTable.ExecuteNonQueryAsync();

        Assert.Equal("success", await host.SendAsync(WeChatHost.TextXml("oDeployDay", "论文 4")));
        var lifetime = host.App.Services.GetRequiredService<IHostApplicationLifetime>();
        var stopping = host.App.Services.GetRequiredService<IHost>().StopAsync();
        Assert.True(await Eventually.HoldsAsync(() => Task.FromResult(lifetime.ApplicationStopping.IsCancellationRequested)), "the stop is under way");
        await Task.Delay(TimeSpan.FromSeconds(1));
        await hold.RollbackAsync();
        await stopping;

        var sent = Assert.Single(host.Api.Accepted(FakeWeChatApi.CustomSend));
        Assert.Equal("oDeployDay", sent.ToUser);
        Assert.Contains("Rho-1", sent.Json.GetProperty("news").GetProperty("articles")[0].GetProperty("title").GetString(), StringComparison.Ordinal);
    }
}
