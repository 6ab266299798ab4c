using PaperBot.Core.Configuration;

namespace PaperBot.Core.Data;

public sealed class StorageOptions : IValidatedOptions
{
    public const string Section = "Storage";
    public const string Sqlite = "Sqlite";
    public const string Postgres = "Postgres";

    public string Provider { get; set; } = Sqlite;

    public bool IsPostgres => string.Equals(Provider, Postgres, StringComparison.OrdinalIgnoreCase);

    public IEnumerable<string> Validate()
    {
        if (!string.Equals(Provider, Sqlite, StringComparison.OrdinalIgnoreCase) && !IsPostgres)
            yield return $"Storage:Provider must be Sqlite or Postgres, not '{Provider}'";
    }
}
