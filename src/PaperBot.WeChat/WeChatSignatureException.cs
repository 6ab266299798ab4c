namespace PaperBot.WeChat;

/// <summary>A <c>signature</c> or <c>msg_signature</c> is missing or does not match.</summary>
public sealed class WeChatSignatureException : WeChatException
{
    public WeChatSignatureException(string message)
        : base(message)
    {
    }
}
