namespace PaperBot.WeChat;

public enum WeChatXmlFailure
{
    TooLarge,
    DtdProhibited,
    Malformed,
    MissingElement,
}

/// <summary>An inbound body that is not a WeChat XML message we are willing to read.</summary>
public sealed class WeChatXmlException : WeChatException
{
    public WeChatXmlException(WeChatXmlFailure failure, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Failure = failure;
    }

    public WeChatXmlFailure Failure { get; }
}
