using PaperBot.Core.Configuration;

namespace PaperBot.Core.Data;

public sealed class StorageOptions : IValidatedOptions
{
    public const string Section = "Storage";
    public const string Sqlite = "Sqlite";
    public const string Postgres = "Postgres";

    public string Provider { get; set; } = Sqlite;

    /// <summary>SQLite: how long a statement waits for another writer before it fails with "database is locked".</summary>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(10);

    public bool IsPostgres => string.Equals(Provider, Postgres, StringComparison.OrdinalIgnoreCase);

    public IEnumerable<string> Validate()
    {
        if (!string.Equals(Provider, Sqlite, StringComparison.OrdinalIgnoreCase) && !IsPostgres)
            yield return $"Storage:Provider must be Sqlite or Postgres, not '{Provider}'";
        if (BusyTimeout < TimeSpan.Zero || BusyTimeout > TimeSpan.FromMinutes(5))
            yield return "Storage:BusyTimeout must be between 00:00:00 and 00:05:00";
    }
}
