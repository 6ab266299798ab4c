using System.Net;

namespace PaperBot.WeChat;

/// <summary>The call did not produce a WeChat answer: network failure, timeout, HTTP error, unreadable body.</summary>
public sealed class WeChatTransportException : WeChatException
{
    public WeChatTransportException(
        string path, string reason, bool isRetryable, HttpStatusCode? statusCode = null, Exception? innerException = null, bool mayHaveArrived = false)
        : base($"wechat: {path} failed: {reason}", innerException)
    {
        Path = path;
        IsRetryable = isRetryable;
        StatusCode = statusCode;
        MayHaveArrived = mayHaveArrived;
    }

    /// <summary>The API path, without the query string that carries the credentials.</summary>
    public string Path { get; }

    public HttpStatusCode? StatusCode { get; }

    public bool IsRetryable { get; }

    /// <summary>The request went out but no answer came back (a timeout, a connection lost mid-way): Tencent may have acted on it.</summary>
    public bool MayHaveArrived { get; }
}
