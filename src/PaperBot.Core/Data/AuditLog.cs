namespace PaperBot.Core.Data;

public static class AuditLog
{
    /// <summary>A wrong admin password: kept for the retention period only (<see cref="Housekeeping"/>), unlike every other entry.</summary>
    public const string LoginFailed = "login-failed";

    /// <summary>Adds an audit entry to the unit of work; it is written with the action's own changes.</summary>
    public static AuditEntry Audit(this PaperBotDbContext db, DateTimeOffset at, string actor, string action, string detail = "") =>
        db.AuditLog.Add(new AuditEntry { At = at, Actor = actor, Action = action, Detail = detail.Length > 2000 ? detail[..2000] : detail }).Entity;
}
