using System.Net;
using System.Net.Http.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using PaperBot.Core.Commands;
using PaperBot.Core.Subscribers;
using PaperBot.TestServices;

namespace PaperBot.Tests.Hosting;

public sealed class ServingWarmupTests
{
    [Fact]
    public async Task HealthzSays503UntilTheWarmUpHasAnsweredThroughTheSite()
    {
        using var gate = new SemaphoreSlim(0);
        var logs = new LogCapture();
        using var app = new PaperBotApp(new Dictionary<string, string?> { ["Web:WarmUp"] = "true" })
            .WithLogs(logs)
            .WithServices(services => services.AddScoped<IGroupAdministrators>(_ => new HeldAnswers(gate)));
        var client = app.CreateClient();

        // Every answer waits at the gate, the warm-up's first one too: the bot is serving but not yet warm.
        var warming = await client.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, warming.StatusCode);
        Assert.Equal("""{"status":"unhealthy","database":"healthy","warmup":"unhealthy"}""", await warming.Content.ReadAsStringAsync());

        gate.Release(int.MaxValue / 2);
        Assert.True(await Eventually.HoldsAsync(async () => (await client.GetAsync("/healthz")).StatusCode == HttpStatusCode.OK, TimeSpan.FromSeconds(30)));
        Assert.Equal("""{"status":"healthy","database":"healthy","warmup":"healthy"}""", await client.GetStringAsync("/healthz"));
        // Warming up is no failure: an operator's error log stays empty.
        Assert.DoesNotContain(logs.Lines, line => line.StartsWith("Error ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheWarmUpStoresNothingAndSpendsNoClientsMessages()
    {
        var logs = new LogCapture();
        using var app = new PaperBotApp(new Dictionary<string, string?>
        {
            ["Web:WarmUp"] = "true",
            ["Web:ConsoleMessagesPerMinute"] = "3",
            ["Logging:LogLevel:PaperBot.Hosting"] = "Information",
        })
            .WithLogs(logs);
        var client = app.CreateClient();
        Assert.True(await Eventually.HoldsAsync(async () => (await client.GetAsync("/healthz")).StatusCode == HttpStatusCode.OK, TimeSpan.FromSeconds(30)));

        Assert.Contains(logs.Lines, line => line.StartsWith("Information PaperBot.Hosting.ServingWarmup: startup: warmed up with", StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Lines, line => line.Contains("warm-up failed", StringComparison.Ordinal));
        // A reader on this machine still has all three of their messages this minute.
        for (var i = 0; i < 3; i++)
            Assert.StartsWith("4. ", (await client.ChatAsync("/paper 4")).Replies[0].Text, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await client.PostAsJsonAsync("/api/chat", new { text = "/paper 4" })).StatusCode);
        // Passing console visitors are not kept, the warm-up's neither.
        await using var db = new SqliteConnection($"Data Source={app.DatabasePath}");
        await db.OpenAsync();
        await using var count = db.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM Subscribers";
        Assert.Equal(0L, await count.ExecuteScalarAsync());
    }

    /// <summary>A group-administrator source whose making waits at a gate: every answer the command engine gives waits with it.</summary>
    private sealed class HeldAnswers : IGroupAdministrators
    {
        public HeldAnswers(SemaphoreSlim gate)
        {
            gate.Wait();
        }

        public Channel Channel => Channel.Web;

        public Task<bool> IsAdministratorAsync(string chatId, string userId, CancellationToken cancellationToken) => Task.FromResult(false);
    }
}
