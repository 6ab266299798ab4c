using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using PaperBot.Core.Data;
using PaperBot.Core.Publishing;
using PaperBot.Core.Sending;
using PaperBot.Core.Subscribers;
using PaperBot.TestServices;

namespace PaperBot.Core.Tests.Data;

/// <summary>A database made by an earlier release, upgraded by this one's migrations, keeps its pushes going.</summary>
public sealed class MigrationUpgradeTests : IDisposable
{
    private const string BeforeDeliveriesLostTheirForeignKeys = "20261204185445_TopicsAndArxiv";
    private static readonly string[] Chats = ["101", "102", "103"];

    private readonly string file = Path.Combine(Path.GetTempPath(), $"paperbot-upgrade-{Guid.NewGuid():N}.db");

    [Fact]
    public async Task OnSqliteAPushQueuedBeforeTheUpgradeStillCountsItsSendsAfterIt()
    {
        int pushId;
        await using (var db = Open())
        {
            await db.GetService<IMigrator>().MigrateAsync(BeforeDeliveriesLostTheirForeignKeys);
            // The subscribers as that schema has them: today's entity has columns added by later migrations.
            foreach (var chat in Chats)
            {
                await db.Database.ExecuteSqlAsync(
                    $"""
                    INSERT INTO "Subscribers" ("Channel", "ChatId", "UserId", "Kind", "Language", "LanguageChosen", "Status", "CreatedAt", "LastSeenAt")
                    VALUES ('Telegram', {chat}, {chat}, 'Private', 'zh', 0, 'Active', 0, 0)
                    """);
            }

            var subscriberIds = await db.Database.SqlQuery<int>($"""SELECT "Id" AS "Value" FROM "Subscribers" ORDER BY "Id" """).ToListAsync();
            var push = new Push { Kind = PushKind.Broadcast, Text = "下周停更一次", CreatedBy = "admin", QueuedAt = DateTimeOffset.UtcNow, RecipientCount = 3 };
            db.Add(push);
            await db.SaveChangesAsync();
            pushId = push.Id;
            // The deliveries too: today's entity has columns added by later migrations.
            foreach (var id in subscriberIds)
            {
                await db.Database.ExecuteSqlAsync(
                    $"""
                    INSERT INTO "Deliveries" ("PushId", "SubscriberId", "Channel", "Status", "Attempts", "PartsSent", "AmbiguousSends")
                    VALUES ({pushId}, {id}, 'Telegram', 'Pending', 0, 0, 0)
                    """);
            }

            db.Add(new PushTally { PushId = push.Id, Channel = Channel.Telegram, Pending = 3 });
            await db.SaveChangesAsync();
        }

        await using (var db = Open())
        {
            await db.GetService<IMigrator>().MigrateAsync();
            var first = await db.Deliveries.Where(d => d.PushId == pushId).OrderBy(d => d.Id).Select(d => d.Id).FirstAsync();
            await db.Deliveries.Where(d => d.Id == first).ExecuteUpdateAsync(d => d.SetProperty(x => x.Status, DeliveryStatus.Sent));

            var tally = await db.PushTallies.AsNoTracking().SingleAsync(t => t.PushId == pushId);
            Assert.Equal((2, 1), (tally.Pending, tally.Sent));
            Assert.Equal(3, await db.Deliveries.CountAsync(d => d.PushId == pushId));
        }
    }

    [Theory]
    [InlineData(StorageOptions.Sqlite)]
    [InlineData(StorageOptions.Postgres)]
    public async Task AForumGroupSubscribedBeforeTheUpgradeKeepsGettingItsPushesInGeneralAndCanChooseATopic(string provider)
    {
        await using var postgres = provider == StorageOptions.Postgres ? await PostgresDatabase.CreateAsync() : null;

        await using (var db = Connect(postgres))
        {
            await db.GetService<IMigrator>().MigrateAsync("PublishSubmittedAt");
            var (no, now) = postgres is null ? ("0", "0") : ("false", "now()");
#pragma warning disable EF1002 // two constants of the test, no input
            await db.Database.ExecuteSqlRawAsync(
                $"""
                INSERT INTO "Subscribers" ("Channel", "ChatId", "UserId", "Kind", "Language", "LanguageChosen", "Status", "CreatedAt", "LastSeenAt")
                VALUES ('Telegram', '-1007001', '4242', 'Group', 'zh', {no}, 'Active', {now}, {now})
                """);
#pragma warning restore EF1002
        }

        await using (var db = Connect(postgres))
        {
            await db.GetService<IMigrator>().MigrateAsync();
            var forum = await db.Subscribers.SingleAsync(s => s.ChatId == "-1007001");
            Assert.Null(forum.ThreadId);
            forum.ThreadId = 77;
            await db.SaveChangesAsync();
        }

        await using (var db = Connect(postgres))
            Assert.Equal(77, await db.Subscribers.Where(s => s.ChatId == "-1007001").Select(s => s.ThreadId).SingleAsync());
    }

    // An issue's article whose publishing job was running when the release that keeps WeChat's refusals came in.
    [Theory]
    [InlineData(StorageOptions.Sqlite)]
    [InlineData(StorageOptions.Postgres)]
    public async Task AnArticleBeingPublishedBeforeTheUpgradeCanBeRecordedAsRefusedAfterIt(string provider)
    {
        await using var postgres = provider == StorageOptions.Postgres ? await PostgresDatabase.CreateAsync() : null;

        await using (var db = Connect(postgres))
        {
            await db.GetService<IMigrator>().MigrateAsync("ForumThread");
            var (yes, now) = postgres is null ? ("1", "0") : ("true", "now()");
#pragma warning disable EF1002 // two constants of the test, no input
            await db.Database.ExecuteSqlRawAsync(
                $"""
                INSERT INTO "Issues" ("Id", "ContentHash", "ImportedAt", "Intro", "Status", "Title")
                VALUES (7, 'c0ffee', {now}, '', 'Published', '第7期');
                INSERT INTO "IssueArticles" ("IssueId", "MassSendRefused", "PublishId", "PublishSubmittedAt", "UpdatedAt")
                VALUES (7, {yes}, '2247503001', {now}, {now});
                """);
#pragma warning restore EF1002
        }

        await using (var db = Connect(postgres))
        {
            await db.GetService<IMigrator>().MigrateAsync();
            var article = await db.IssueArticles.SingleAsync(a => a.IssueId == 7);
            Assert.Equal(("2247503001", (int?)null), (article.PublishId, article.PublishRefusedStatus));
            (article.PublishId, article.PublishRefusedStatus) = (null, 4);
            await db.SaveChangesAsync();
        }

        await using (var db = Connect(postgres))
            Assert.Equal(4, await db.IssueArticles.Where(a => a.IssueId == 7).Select(a => a.PublishRefusedStatus).SingleAsync());
    }

    [Theory]
    [InlineData(StorageOptions.Sqlite)]
    [InlineData(StorageOptions.Postgres)]
    public async Task AWeChatPushSentBeforeTheUpgradeStillReadsAndCountsAfterIt(string provider)
    {
        await using var postgres = provider == StorageOptions.Postgres ? await PostgresDatabase.CreateAsync() : null;

        int pushId;
        await using (var db = Connect(postgres))
        {
            await db.GetService<IMigrator>().MigrateAsync("ForumThread");
            var (no, now) = postgres is null ? ("0", "0") : ("false", "now()");
#pragma warning disable EF1002 // constants of the test, no input
            foreach (var chat in new[] { "oBefore1", "oBefore2" })
            {
                await db.Database.ExecuteSqlRawAsync(
                    $"""
                    INSERT INTO "Subscribers" ("Channel", "ChatId", "UserId", "Kind", "Language", "LanguageChosen", "Status", "CreatedAt", "LastSeenAt")
                    VALUES ('WeChat', '{chat}', '{chat}', 'Private', 'zh', {no}, 'Active', {now}, {now})
                    """);
            }
#pragma warning restore EF1002
            var subscriberIds = await db.Database.SqlQuery<int>($"""SELECT "Id" AS "Value" FROM "Subscribers" ORDER BY "Id" """).ToListAsync();
            var push = new Push { Kind = PushKind.Broadcast, Text = "下周停更一次", CreatedBy = "admin", QueuedAt = DateTimeOffset.UtcNow, RecipientCount = 2 };
            db.Add(push);
            await db.SaveChangesAsync();
            pushId = push.Id;
            // The deliveries as that schema has them: no msg_id column yet.
            foreach (var id in subscriberIds)
            {
                await db.Database.ExecuteSqlAsync(
                    $"""
                    INSERT INTO "Deliveries" ("PushId", "SubscriberId", "Channel", "Status", "Attempts", "PartsSent", "AmbiguousSends")
                    VALUES ({pushId}, {id}, 'WeChat', 'Sent', 1, 1, 0)
                    """);
            }

            db.Add(new PushTally { PushId = pushId, Channel = Channel.WeChat, Sent = 2 });
            await db.SaveChangesAsync();
        }

        await using (var db = Connect(postgres))
        {
            await db.GetService<IMigrator>().MigrateAsync();
            var deliveries = await db.Deliveries.AsNoTracking().Where(d => d.PushId == pushId).ToListAsync();
            Assert.Equal(2, deliveries.Count);
            Assert.All(deliveries, d => Assert.Equal((DeliveryStatus.Sent, (long?)null), (d.Status, d.MassSendMsgId)));

            await db.Deliveries.Where(d => d.Id == deliveries[0].Id)
                .ExecuteUpdateAsync(d => d.SetProperty(x => x.Status, DeliveryStatus.Failed).SetProperty(x => x.MassSendMsgId, 1000000001L));
            var tally = await db.PushTallies.AsNoTracking().SingleAsync(t => t.PushId == pushId);
            Assert.Equal((1, 1), (tally.Sent, tally.Failed));
            Assert.Equal(deliveries[0].Id, await db.Deliveries.Where(d => d.MassSendMsgId == 1000000001L).Select(d => d.Id).SingleAsync());
        }
    }

    /// <summary>The test's SQLite file, or the PostgreSQL database when there is one.</summary>
    private PaperBotDbContext Connect(PostgresDatabase? postgres) => postgres is null
        ? Open()
        : new PostgresPaperBotDbContext(new DbContextOptionsBuilder<PostgresPaperBotDbContext>().UseNpgsql(postgres.ConnectionString).Options);

    private SqlitePaperBotDbContext Open() =>
        new(new DbContextOptionsBuilder<SqlitePaperBotDbContext>().UseSqlite($"Data Source={file};Pooling=False").Options);

    public void Dispose()
    {
        foreach (var path in new[] { file, file + "-wal", file + "-shm" })
            File.Delete(path);
    }
}
