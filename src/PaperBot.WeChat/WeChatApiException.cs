using System.Globalization;

namespace PaperBot.WeChat;

/// <summary>Tencent answered with a non-zero <c>errcode</c>.</summary>
public sealed class WeChatApiException : WeChatException
{
    public WeChatApiException(string path, int errorCode, string errorMessage)
        : base(string.Create(
            CultureInfo.InvariantCulture,
            $"wechat: {path} returned errcode {errorCode} ({WeChatErrorKinds.FromCode(errorCode)}): {errorMessage}"))
    {
        Path = path;
        ErrorCode = errorCode;
        ErrorMessage = errorMessage;
        Kind = WeChatErrorKinds.FromCode(errorCode);
    }

    /// <summary>The API path, without the query string that carries the credentials.</summary>
    public string Path { get; }

    public int ErrorCode { get; }

    public string ErrorMessage { get; }

    public WeChatErrorKind Kind { get; }

    /// <summary>Whether the same call may succeed later without anything else changing.</summary>
    public bool IsRetryable => WeChatErrorKinds.IsRetryable(Kind);

    /// <summary>Whether the answer says the call was not carried out: "busy" and "repeated too soon" may hide one that was, "already sent" says it was.</summary>
    public bool SaysNothingWasDone => WeChatErrorKinds.SaysNothingWasDone(Kind);
}
