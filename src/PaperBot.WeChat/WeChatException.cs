namespace PaperBot.WeChat;

/// <summary>
/// Base of every failure this library reports, so a webhook or a job can catch the protocol's
/// failures at its edge without catching programming errors.
/// </summary>
public abstract class WeChatException : Exception
{
    protected WeChatException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
