namespace PaperBot.Core.Data;

/// <summary>
/// One key of the web host's data protection (it signs admin sessions and anti-forgery tokens), as XML; kept in the
/// database so sessions survive restarts and every instance reads the same keys.
/// </summary>
public sealed class ProtectionKey
{
    public int Id { get; set; }
    public string? FriendlyName { get; set; }
    public string? Xml { get; set; }
}
