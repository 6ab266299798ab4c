namespace PaperBot.WeChat;

public enum WeChatDecryptionFailure
{
    InvalidBase64,
    InvalidCiphertextLength,
    InvalidPadding,
    InvalidMessageLength,
    InvalidMessageEncoding,
    AppIdMismatch,
}

/// <summary>An <c>Encrypt</c> payload that does not decrypt to a well-formed envelope for our AppId.</summary>
public sealed class WeChatDecryptionException : WeChatException
{
    public WeChatDecryptionException(WeChatDecryptionFailure failure, string message)
        : base(message)
    {
        Failure = failure;
    }

    public WeChatDecryptionFailure Failure { get; }
}
