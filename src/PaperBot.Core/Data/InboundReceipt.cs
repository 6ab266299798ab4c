namespace PaperBot.Core.Data;

/// <summary>
/// Marks an inbound update (Telegram update_id, WeChat MsgId) as handled, so a redelivery has no second effect;
/// <see cref="Response"/> keeps the answer for channels that expect the same answer to a retry.
/// </summary>
public sealed class InboundReceipt
{
    public required string Channel { get; set; }
    public required string MessageKey { get; set; }
    public DateTimeOffset ReceivedAt { get; set; }
    public string? Response { get; set; }
}
