using System.Data.Common;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using PaperBot.Core.Data;
using PaperBot.Core.Publishing;
using PaperBot.Core.Sending;
using PaperBot.Core.Stats;
using PaperBot.Core.Subscribers;

namespace PaperBot.Tests.Admin;

/// <summary>A push's page, and its /progress, say why its deliveries failed, were blocked or wait: each reason with how many.</summary>
public sealed class PushReasonsTests
{
    private const string Script = "400 Bad Request: <script>alert(1)</script> can't parse entities";
    private const string GaveUp = "gave up after 5 attempts: 502 Bad Gateway";
    private const string Blocked = "403 Forbidden: bot was blocked by the user";

    private static async Task<(PaperBotApp App, AdminSession Admin)> LoggedInAsync(string provider = "Sqlite")
    {
        var app = new PaperBotApp(AdminSession.WithPassword(("Storage:Provider", provider), ("Samples:ImportOnFirstStart", "false")));
        var admin = AdminSession.For(app);
        Assert.Equal(HttpStatusCode.Redirect, (await admin.LogInAsync()).StatusCode);
        return (app, admin);
    }

    /// <summary>
    /// A finished broadcast whose deliveries ended as given, one subscriber id each: queued pending with their tallies as
    /// the outbox queues them, then ended, so the database's triggers count them.
    /// </summary>
    private static Task<int> PushAsync(PaperBotApp app, DateTimeOffset? completedAt, params (Channel Channel, DeliveryStatus Status, string? Reason, int Count)[] outcomes) =>
        app.QueryAsync(async db =>
        {
            var now = DateTimeOffset.UtcNow;
            var push = new Push
            {
                Kind = PushKind.Broadcast, Text = "Maintenance tonight", CreatedBy = "test", CreatedAt = now, QueuedAt = now,
                CompletedAt = completedAt ?? now, RecipientCount = outcomes.Sum(o => o.Count),
            };
            db.Pushes.Add(push);
            await db.SaveChangesAsync();
            foreach (var channel in outcomes.GroupBy(o => o.Channel))
                db.PushTallies.Add(new PushTally { PushId = push.Id, Channel = channel.Key, Pending = channel.Sum(o => o.Count) });
            var deliveries = outcomes
                .SelectMany(o => Enumerable.Range(0, o.Count).Select(_ => (Outcome: o, Delivery: new Delivery { PushId = push.Id, Channel = o.Channel, Status = DeliveryStatus.Pending })))
                .Select((d, i) => { d.Delivery.SubscriberId = i + 1; return d; })
                .ToList();
            db.Deliveries.AddRange(deliveries.Select(d => d.Delivery));
            await db.SaveChangesAsync();
            foreach (var (outcome, delivery) in deliveries)
                (delivery.Status, delivery.LastError) = (outcome.Status, outcome.Reason);
            await db.SaveChangesAsync();
            return push.Id;
        });

    private static string WhySection(string html)
    {
        var start = html.IndexOf("id=\"why\"", StringComparison.Ordinal);
        Assert.True(start >= 0, "the page has no Why section");
        return html[start..html.IndexOf("</section>", start, StringComparison.Ordinal)];
    }

    [SkippableTheory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task ThePushPageListsWhyDeliveriesFailedWithTheirCountsMostFrequentFirstAsText(string provider)
    {
        var (app, admin) = await LoggedInAsync(provider);
        using var _ = app;
        var push = await PushAsync(app, null,
            (Channel.Telegram, DeliveryStatus.Sent, null, 5),
            (Channel.Telegram, DeliveryStatus.Failed, GaveUp, 1),
            (Channel.Telegram, DeliveryStatus.Failed, Script, 3),
            (Channel.Telegram, DeliveryStatus.Skipped, DeliveryResults.NothingMatches, 4),
            (Channel.Telegram, DeliveryStatus.Blocked, Blocked, 2));

        var html = await admin.Client.GetStringAsync($"/admin/pushes/{push}");

        var why = WhySection(html);
        var rows = why.Split("<tr>").Skip(2).ToList();
        Assert.Equal(3, rows.Count);
        Assert.Contains("<td>failed</td>", rows[0], StringComparison.Ordinal);
        Assert.Contains("<td>400 Bad Request: &lt;script&gt;alert(1)&lt;/script&gt; can&#x27;t parse entities</td>", rows[0], StringComparison.Ordinal);
        Assert.Contains("<td class=\"num\">3</td>", rows[0], StringComparison.Ordinal);
        Assert.Contains("<td>blocked</td>", rows[1], StringComparison.Ordinal);
        Assert.Contains($"<td>{Blocked}</td>", rows[1], StringComparison.Ordinal);
        Assert.Contains("<td class=\"num\">2</td>", rows[1], StringComparison.Ordinal);
        Assert.Contains($"<td>{GaveUp}</td>", rows[2], StringComparison.Ordinal);
        Assert.Contains("<td class=\"num\">1</td>", rows[2], StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        Assert.DoesNotContain(DeliveryResults.NothingMatches, why, StringComparison.Ordinal);
        Assert.DoesNotContain("more reason", why, StringComparison.Ordinal);

        var json = await admin.Client.GetFromJsonAsync<JsonElement>($"/admin/api/pushes/{push}/progress");
        var reasons = json.GetProperty("why").GetProperty("reasons").EnumerateArray()
            .Select(r => (r.GetProperty("channel").GetString(), r.GetProperty("status").GetString(), r.GetProperty("reason").GetString(), r.GetProperty("deliveries").GetInt32()))
            .ToList();
        Assert.Equal([("Telegram", "failed", Script, 3), ("Telegram", "blocked", Blocked, 2), ("Telegram", "failed", GaveUp, 1)], reasons);
        Assert.Equal(0, json.GetProperty("why").GetProperty("moreReasons").GetInt32());
        Assert.Equal(4, json.GetProperty("failed").GetInt32());

        // The page's polling, once a second where server-sent events fail, does not read the reasons each time.
        var polled = await admin.Client.GetFromJsonAsync<JsonElement>($"/admin/api/pushes/{push}/progress?why=false");
        Assert.Equal((4, JsonValueKind.Null), (polled.GetProperty("failed").GetInt32(), polled.GetProperty("why").ValueKind));
    }

    [Fact]
    public async Task APushWithNothingFailedBlockedOrWaitingShowsNoWhySection()
    {
        var (app, admin) = await LoggedInAsync();
        using var _ = app;
        var push = await PushAsync(app, null,
            (Channel.Telegram, DeliveryStatus.Sent, null, 5),
            (Channel.WeChat, DeliveryStatus.Skipped, DeliveryResults.NothingMatches, 2));

        var html = await admin.Client.GetStringAsync($"/admin/pushes/{push}");

        Assert.Contains("id=\"progress\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"why\"", html, StringComparison.Ordinal);
        var json = await admin.Client.GetFromJsonAsync<JsonElement>($"/admin/api/pushes/{push}/progress");
        Assert.Equal(0, json.GetProperty("why").GetProperty("reasons").GetArrayLength());
        Assert.False(json.GetProperty("why").GetProperty("noLongerKept").GetBoolean());
    }

    [Fact]
    public async Task MoreThanTenReasonsShowTheTenMostFrequentAndHowManyMoreThereAre()
    {
        var (app, admin) = await LoggedInAsync();
        using var _ = app;
        var outcomes = Enumerable.Range(1, 12)
            .Select(n => (Channel.WeChat, DeliveryStatus.Failed, (string?)$"errcode 4500{n:00}: reason {n}", n))
            .Append((Channel.WeChat, DeliveryStatus.Skipped, "the channel is switched off (no WeChat credentials in the configuration); 'resend ISSUE' sends it once the channel is on", 20))
            .ToArray();
        var push = await PushAsync(app, null, outcomes);

        var why = WhySection(await admin.Client.GetStringAsync($"/admin/pushes/{push}"));

        var rows = why.Split("<tr>").Skip(2).ToList();
        Assert.Equal(10, rows.Count);
        Assert.Contains("<td>skipped</td>", rows[0], StringComparison.Ordinal);
        Assert.Contains("<td class=\"num\">20</td>", rows[0], StringComparison.Ordinal);
        Assert.Contains("reason 12</td>", rows[1], StringComparison.Ordinal);
        Assert.Contains("reason 4</td>", rows[9], StringComparison.Ordinal);
        Assert.Contains("and 3 more reasons", why, StringComparison.Ordinal);
    }

    [Fact]
    public async Task APushWhoseDeliveriesRetentionPrunedSaysTheReasonsAreNoLongerKept()
    {
        var (app, admin) = await LoggedInAsync();
        using var _ = app;
        var push = await PushAsync(app, DateTimeOffset.UtcNow.AddDays(-200),
            (Channel.Telegram, DeliveryStatus.Sent, null, 2),
            (Channel.Telegram, DeliveryStatus.Failed, GaveUp, 3));
        await using (var scope = app.Services.CreateAsyncScope())
            Assert.Equal(5, (await scope.ServiceProvider.GetRequiredService<Housekeeping>().PruneAsync(CancellationToken.None)).Deliveries);

        var html = await admin.Client.GetStringAsync($"/admin/pushes/{push}");

        Assert.Contains("<dd data-field=\"failed\">3</dd>", html, StringComparison.Ordinal);
        Assert.Contains("reasons are no longer kept", WhySection(html), StringComparison.Ordinal);
        var json = await admin.Client.GetFromJsonAsync<JsonElement>($"/admin/api/pushes/{push}/progress");
        Assert.True(json.GetProperty("why").GetProperty("noLongerKept").GetBoolean());
    }

    [Fact]
    public async Task TheReasonsAreReadThroughTheIndexOnThePushAndStatusNotByScanningEveryDelivery()
    {
        var (app, _) = await LoggedInAsync();
        using var __ = app;
        var push = await PushAsync(app, null, (Channel.Telegram, DeliveryStatus.Failed, GaveUp, 2), (Channel.Telegram, DeliveryStatus.Sent, null, 3));
        var plan = new QueryPlan();
        await using var db = new SqlitePaperBotDbContext(new DbContextOptionsBuilder<SqlitePaperBotDbContext>()
            .UseSqlite($"Data Source={app.DatabasePath}").AddInterceptors(plan).Options);
        var stats = new StatsReport(db);

        var reasons = await stats.ReasonsAsync((await stats.LedgerAsync(push, CancellationToken.None))!, StatsReport.TopReasons, CancellationToken.None);

        Assert.Equal([new PushReason(Channel.Telegram, DeliveryStatus.Failed, GaveUp, 2)], reasons.Top);
        var lines = Assert.Single(plan.Plans, p => p.Any(line => line.Contains("GROUP BY", StringComparison.Ordinal)));
        Assert.Contains(lines, line => line.StartsWith("SEARCH Deliveries USING INDEX IX_Deliveries_PushId_Status (PushId=? AND Status=?)", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, line => line.StartsWith("SCAN Deliveries", StringComparison.Ordinal));
    }

    /// <summary>SQLite's plan of every query the context reads, asked with the query's own text and parameters just before it runs.</summary>
    private sealed class QueryPlan : DbCommandInterceptor
    {
        public List<List<string>> Plans { get; } = [];

        public override async ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            await using var explain = command.Connection!.CreateCommand();
            explain.CommandText = "EXPLAIN QUERY PLAN " + command.CommandText;
            explain.Transaction = command.Transaction;
            foreach (DbParameter parameter in command.Parameters)
            {
                var copy = explain.CreateParameter();
                (copy.ParameterName, copy.Value) = (parameter.ParameterName, parameter.Value);
                explain.Parameters.Add(copy);
            }

            var lines = new List<string>();
            await using (var reader = await explain.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                    lines.Add(reader.GetString(3));
            }

            // The plan's lines first, then the query's text, to tell the queries apart.
            lines.Add(command.CommandText);
            Plans.Add(lines);
            return result;
        }
    }
}
