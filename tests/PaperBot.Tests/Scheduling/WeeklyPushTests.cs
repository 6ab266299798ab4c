using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using PaperBot.Core.Issues;
using PaperBot.TestServices;

namespace PaperBot.Tests.Scheduling;

public sealed class WeeklyPushTests
{
    /// <summary>Sunday 22 November 2026, 20:00 in Shanghai.</summary>
    private static readonly DateTimeOffset SundayEvening = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

    private static async Task<int> ImportAndMarkReadyAsync(PaperBotApp app, string variant, DateTimeOffset? at = null)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "samples", "digest-sample.txt")).Replace("超越 Transformer", variant, StringComparison.Ordinal);
        var imported = (ImportOutcome.Imported)await scope.ServiceProvider.GetRequiredService<IssueImporter>().ImportAsync(text, null, "test", CancellationToken.None);
        await scope.ServiceProvider.GetRequiredService<IssueScheduler>().ScheduleAsync(imported.IssueId, at, "test", CancellationToken.None);
        return imported.IssueId;
    }

    private static Task<IssueStatus> StatusAsync(PaperBotApp app, int issueId) =>
        app.QueryAsync(db => db.Issues.Where(i => i.Id == issueId).Select(i => i.Status).SingleAsync());

    private static PaperBotApp App(FakeTimeProvider clock, string? directory = null, string zone = "Asia/Shanghai", string? cron = null)
    {
        var settings = new Dictionary<string, string?> { ["Schedule:TimeZone"] = zone };
        if (cron is not null)
            settings["Schedule:WeeklyCron"] = cron;
        if (directory is not null)
            settings["ConnectionStrings:PaperBot"] = $"Data Source={Path.Combine(directory, "paperbot.db")}";
        return new PaperBotApp(settings).WithService<TimeProvider>(clock);
    }

    [Theory]
    [InlineData("Asia/Shanghai", "2026-11-23T01:00:00Z")]
    [InlineData("Europe/Berlin", "2026-11-23T08:00:00Z")]
    public async Task TheWeeklyPushPublishesTheReadyIssueAtNineOnMondayInTheScheduleTimeZone(string zone, string fireUtc)
    {
        var clock = new FakeTimeProvider(SundayEvening);
        using var app = App(clock, zone: zone);
        app.CreateClient();
        var ready = await ImportAndMarkReadyAsync(app, "下周一");

        clock.SetUtcNow(DateTimeOffset.Parse(fireUtc, System.Globalization.CultureInfo.InvariantCulture) - TimeSpan.FromMinutes(1));
        Assert.False(await Eventually.HoldsAsync(async () => await StatusAsync(app, ready) == IssueStatus.Published, TimeSpan.FromSeconds(1)));

        clock.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(1));
        Assert.True(await Eventually.HoldsAsync(async () => await StatusAsync(app, ready) == IssueStatus.Published, TimeSpan.FromSeconds(20)));
        var publishedAt = await app.QueryAsync(db => db.Issues.Where(i => i.Id == ready).Select(i => i.PublishedAt).SingleAsync());
        Assert.InRange(publishedAt!.Value, DateTimeOffset.Parse(fireUtc, System.Globalization.CultureInfo.InvariantCulture), DateTimeOffset.Parse(fireUtc, System.Globalization.CultureInfo.InvariantCulture).AddMinutes(2));
    }

    [Fact]
    public async Task AWeeklyPushWithNothingReadyPublishesNothing()
    {
        var clock = new FakeTimeProvider(SundayEvening);
        using var app = App(clock);
        app.CreateClient();
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "samples", "digest-sample.txt")).Replace("超越 Transformer", "草稿", StringComparison.Ordinal);
            await scope.ServiceProvider.GetRequiredService<IssueImporter>().ImportAsync(text, null, "test", CancellationToken.None);
        }

        clock.Advance(TimeSpan.FromHours(13.1));

        Assert.False(await Eventually.HoldsAsync(async () => await app.CountAsync<Core.Publishing.Push>() > 1, TimeSpan.FromSeconds(2)));
        Assert.Equal(IssueStatus.Draft, await StatusAsync(app, 2));
    }

    [Fact]
    public async Task AnIssueScheduledForAMomentIsPublishedThen()
    {
        var clock = new FakeTimeProvider(SundayEvening);
        using var app = App(clock);
        app.CreateClient();
        var issue = await ImportAndMarkReadyAsync(app, "周日晚上", SundayEvening.AddMinutes(30));

        clock.Advance(TimeSpan.FromMinutes(31));

        Assert.True(await Eventually.HoldsAsync(async () => await StatusAsync(app, issue) == IssueStatus.Published, TimeSpan.FromSeconds(20)));
    }

    [Fact]
    public async Task MissedWeeksFireOnceWhenTheHostComesBack()
    {
        var directory = Directory.CreateTempSubdirectory("paperbot-missed-").FullName;
        var clock = new FakeTimeProvider(SundayEvening);
        int first, second;
        using (var before = App(clock, directory))
        {
            before.CreateClient();
            first = await ImportAndMarkReadyAsync(before, "第一期");
            second = await ImportAndMarkReadyAsync(before, "第二期");
        }

        try
        {
            // Down for two Mondays.
            clock.Advance(TimeSpan.FromDays(15));
            using var after = App(clock, directory);
            after.CreateClient();

            Assert.True(await Eventually.HoldsAsync(async () => await StatusAsync(after, first) == IssueStatus.Published, TimeSpan.FromSeconds(20)));
            Assert.False(await Eventually.HoldsAsync(async () => await StatusAsync(after, second) == IssueStatus.Published, TimeSpan.FromSeconds(2)));
            Assert.Equal(IssueStatus.Scheduled, await StatusAsync(after, second));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    // The schedule is kept in the database between starts; the operator's new setting must replace it, not sit beside it.
    [Fact]
    public async Task AWeeklyCronChangedBetweenStartsFiresOnTheNewDayOnly()
    {
        var directory = Directory.CreateTempSubdirectory("paperbot-cron-").FullName;
        var clock = new FakeTimeProvider(SundayEvening);
        using (var before = App(clock, directory))
            before.CreateClient();

        try
        {
            using var after = App(clock, directory, cron: "0 0 9 ? * FRI");
            after.CreateClient();
            var ready = await ImportAndMarkReadyAsync(after, "周五");

            clock.SetUtcNow(new DateTimeOffset(2026, 11, 23, 1, 1, 0, TimeSpan.Zero)); // Monday 09:01 in Shanghai
            Assert.False(await Eventually.HoldsAsync(async () => await StatusAsync(after, ready) == IssueStatus.Published, TimeSpan.FromSeconds(3)));
            clock.SetUtcNow(new DateTimeOffset(2026, 11, 27, 1, 0, 1, TimeSpan.Zero)); // Friday 09:00:01 in Shanghai
            Assert.True(await Eventually.HoldsAsync(async () => await StatusAsync(after, ready) == IssueStatus.Published, TimeSpan.FromSeconds(20)));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task AFailedWeeklyPushIsTriedAgainForItsSlotAndShownToAdmins()
    {
        var clock = new FakeTimeProvider(SundayEvening);
        using var app = new PaperBotApp(Admin.AdminSession.WithPassword(("Schedule:RetryDelay", "00:01:00"))).WithService<TimeProvider>(clock);
        app.CreateClient();
        var ready = await ImportAndMarkReadyAsync(app, "重试");
        await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={app.DatabasePath}"))
        {
            await connection.OpenAsync();
            await using var failing = connection.CreateCommand();
            failing.CommandText = "CREATE TRIGGER \"FailPublishing\" BEFORE INSERT ON \"Pushes\" BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END;";
            await failing.ExecuteNonQueryAsync();
        }

        clock.SetUtcNow(new DateTimeOffset(2026, 11, 23, 1, 0, 1, TimeSpan.Zero));
        await Eventually.AssertAsync(
            () => app.QueryAsync(db => db.AuditLog.AnyAsync(e => e.Action == Core.Publishing.ScheduledPublishing.WeeklyFailedAction)), "the failure to be recorded");
        Assert.Equal(IssueStatus.Scheduled, await StatusAsync(app, ready));
        var failure = await app.QueryAsync(db => db.AuditLog.Where(e => e.Action == Core.Publishing.ScheduledPublishing.WeeklyFailedAction).Select(e => e.Detail).SingleAsync());
        Assert.Contains("the weekly push of 2026-11-23 01:00 UTC failed (attempt 1)", failure, StringComparison.Ordinal);
        Assert.Contains("trying again at 2026-11-23 01:01 UTC", failure, StringComparison.Ordinal);
        var admin = Admin.AdminSession.For(app);
        await admin.LogInAsync();
        Assert.Contains("The weekly push failed", await admin.Client.GetStringAsync("/admin"), StringComparison.Ordinal);

        await app.QueryAsync(db => db.Database.ExecuteSqlRawAsync("DROP TRIGGER \"FailPublishing\";"));
        clock.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(1));

        Assert.True(await Eventually.HoldsAsync(async () => await StatusAsync(app, ready) == IssueStatus.Published, TimeSpan.FromSeconds(20)));
        Assert.Equal(1, await app.QueryAsync(db => db.Pushes.CountAsync(p => p.IssueId == ready)));
        Assert.DoesNotContain("The weekly push failed", await admin.Client.GetStringAsync("/admin"), StringComparison.Ordinal);
    }
}
