using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;
using Npgsql.EntityFrameworkCore.PostgreSQL;
using PaperBot.Core.Configuration;

namespace PaperBot.Core.Data;

/// <summary>
/// Every difference between SQLite and PostgreSQL, chosen once at start-up from <c>Storage:Provider</c>: how the
/// context is configured, how raw SQL sees a time, how a row is locked, how many instances the database serves and
/// what it needs in the background. Nothing outside this file asks which provider is in use.
/// </summary>
public abstract class StorageDialect
{
    private protected StorageDialect(string connectionString) => ConnectionString = connectionString;

    public string ConnectionString { get; }

    /// <summary>
    /// False for SQLite: one process owns the file, so at start every claim in it belongs to a process that is gone.
    /// True for PostgreSQL: instances share the database and coordinate through leases and row locks.
    /// </summary>
    public abstract bool ServesSeveralInstances { get; }

    /// <summary>Appended to a <c>SELECT … WHERE</c> of one row inside a transaction: the row stays locked until it ends.</summary>
    public abstract string LockRow { get; }

    /// <summary>Appended to the claim's sub-select of deliveries: rows another instance is claiming are passed over, not waited for.</summary>
    public abstract string SkipLockedRows { get; }

    /// <summary>Where Quartz keeps the weekly schedule: the same PostgreSQL database (one cluster), or quartz.db beside the SQLite file.</summary>
    public abstract string SchedulerConnectionString { get; }

    /// <summary>How raw SQL sees a stored time: UTC ticks on SQLite (see <see cref="SqlitePaperBotDbContext"/>), timestamptz on PostgreSQL.</summary>
    public abstract object Time(DateTimeOffset value);

    /// <summary>
    /// Runs a short transaction of its own again when the database aborted it over a conflict with another one (on
    /// PostgreSQL a deadlock or a serialization failure, which it ends by aborting one side) or lost the connection, as
    /// Npgsql judges what is transient. SQLite's single writer waits for the other instead (busy_timeout): once there.
    /// </summary>
    public abstract IExecutionStrategy RetryingOnConflict(DbContext db);

    public static StorageDialect For(StorageOptions storage, string connectionString)
    {
        try
        {
            if (!storage.IsPostgres)
                return new Sqlite(connectionString, storage.BusyTimeout);
            _ = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
            return new Postgres(connectionString);
        }
        catch (ArgumentException error)
        {
            // The builders name the keyword or value they refuse, never the rest of the string (a password stays out).
            throw new ConfigurationException($"ConnectionStrings:PaperBot is not a {(storage.IsPostgres ? StorageOptions.Postgres : StorageOptions.Sqlite)} connection string: {error.Message}");
        }
    }

    internal abstract void AddDbContext(IServiceCollection services);

    /// <summary>What the database needs once before use, beyond migrations.</summary>
    public virtual Task PrepareAsync(PaperBotDbContext db, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Keeps every other process of this program off the database while the returned handle lives, where one process
    /// must own it (SQLite); null where instances share it. Command-line verbs do not ask: they run beside the bot.
    /// </summary>
    public virtual IDisposable? ClaimSoleUse() => null;

    /// <summary>Background work the database needs while the host runs.</summary>
    internal virtual void AddMaintenance(IServiceCollection services)
    {
    }

    private sealed class Sqlite : StorageDialect
    {
        private readonly SqlitePragmas pragmas;

        public Sqlite(string connectionString, TimeSpan busyTimeout)
            : base(new SqliteConnectionStringBuilder(connectionString).ToString()) =>
            pragmas = new SqlitePragmas(busyTimeout);

        public override bool ServesSeveralInstances => false;

        // SQLite has one writer per database: the transaction's first write (an INSERT … ON CONFLICT DO NOTHING before
        // each lock) already holds every row until it ends.
        public override string LockRow => "";

        public override string SkipLockedRows => "";

        public override object Time(DateTimeOffset value) => value.UtcTicks;

        public override IExecutionStrategy RetryingOnConflict(DbContext db) => db.Database.CreateExecutionStrategy();

        // Its own file, so the sending engine's writes never wait for the scheduler's.
        public override string SchedulerConnectionString
        {
            get
            {
                var directory = Path.GetDirectoryName(Path.GetFullPath(new SqliteConnectionStringBuilder(ConnectionString).DataSource)) ?? ".";
                return new SqliteConnectionStringBuilder { DataSource = Path.Combine(directory, "quartz.db"), DefaultTimeout = 30 }.ToString();
            }
        }

        internal override void AddDbContext(IServiceCollection services) =>
            services.AddDbContextPool<PaperBotDbContext, SqlitePaperBotDbContext>(options =>
                SqliteConnectionWithoutEfFunctions.Use(options.UseSqlite(ConnectionString).AddInterceptors(pragmas)));

        // WAL lets readers (the web archive) proceed while the sending engine writes; the mode is stored in the file.
        public override Task PrepareAsync(PaperBotDbContext db, CancellationToken cancellationToken)
        {
            CreateDirectory();
            return db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode = WAL;", cancellationToken);
        }

        internal override void AddMaintenance(IServiceCollection services) => services.AddHostedService<SqliteCheckpoints>();

        /// <summary>
        /// An exclusive lock on a file beside the database (.NET takes it with flock on Unix): a second bot on the same
        /// file would release the first one's claims at start and send its deliveries again.
        /// </summary>
        public override IDisposable? ClaimSoleUse()
        {
            var database = new SqliteConnectionStringBuilder(ConnectionString).DataSource;
            if (string.IsNullOrEmpty(database) || database == ":memory:")
                return null;
            CreateDirectory();
            var path = Path.GetFullPath(database) + ".lock";
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException)
            {
                throw new ConfigurationException(
                    $"Storage: {Path.GetFullPath(database)} is in use by another PaperBot process; SQLite serves one bot at a time (several instances need Storage__Provider=Postgres)");
            }
        }

        /// <summary>Creates the database file's directory (data/ on first start).</summary>
        private void CreateDirectory()
        {
            var builder = new SqliteConnectionStringBuilder(ConnectionString);
            if (builder.Mode is not SqliteOpenMode.Memory && !string.IsNullOrEmpty(builder.DataSource) && builder.DataSource != ":memory:")
            {
                var directory = Path.GetDirectoryName(Path.GetFullPath(builder.DataSource));
                if (!string.IsNullOrEmpty(directory))
                    Directory.CreateDirectory(directory);
            }
        }
    }

    private sealed class Postgres(string connectionString) : StorageDialect(connectionString)
    {
        public override bool ServesSeveralInstances => true;

        public override string LockRow => "FOR UPDATE";

        public override string SkipLockedRows => "FOR UPDATE OF d SKIP LOCKED";

        public override object Time(DateTimeOffset value) => value.ToUniversalTime();

        public override IExecutionStrategy RetryingOnConflict(DbContext db) => new Retrying(db);

        public override string SchedulerConnectionString => ConnectionString;

        internal override void AddDbContext(IServiceCollection services) =>
            services.AddDbContextPool<PaperBotDbContext, PostgresPaperBotDbContext>(options => options.UseNpgsql(ConnectionString));

        /// <summary>
        /// Npgsql's retrying strategy for one operation of a context that has none configured (its transactions are its
        /// own): each statement inside runs under the context's plain strategy, which hands a transient error on wrapped
        /// in an <see cref="InvalidOperationException"/>, so the error looked at is the one inside.
        /// </summary>
        private sealed class Retrying(DbContext db) : NpgsqlRetryingExecutionStrategy(db, maxRetryCount: 3)
        {
            protected override bool ShouldRetryOn(Exception? exception) =>
                base.ShouldRetryOn(exception) || (exception is InvalidOperationException { InnerException: { } inner } && base.ShouldRetryOn(inner));
        }
    }

    /// <summary>
    /// Per-connection SQLite settings: wait for a writer instead of failing with "database is locked"; and no checkpoint
    /// inside a commit — <see cref="SqliteCheckpoints"/> checkpoints in the background, so a commit of the sending
    /// engine never stalls on copying the write-ahead log back.
    /// </summary>
    private sealed class SqlitePragmas(TimeSpan busyTimeout) : DbConnectionInterceptor
    {
        private readonly string commands = string.Create(CultureInfo.InvariantCulture,
            $"PRAGMA busy_timeout = {(int)busyTimeout.TotalMilliseconds}; PRAGMA synchronous = NORMAL; PRAGMA wal_autocheckpoint = 0;");

        public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

        public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            Apply(connection);
            return Task.CompletedTask;
        }

        private void Apply(DbConnection connection)
        {
            using var command = connection.CreateCommand();
            command.CommandText = commands;
            command.ExecuteNonQuery();
        }
    }
}
