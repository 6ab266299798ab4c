namespace PaperBot.Core.Data;

/// <summary>What an admin did, from which channel: "telegram:42 publish issue 3".</summary>
public sealed class AuditEntry
{
    public long Id { get; set; }
    public DateTimeOffset At { get; set; }
    public required string Actor { get; set; }
    public required string Action { get; set; }
    public string Detail { get; set; } = "";
}
