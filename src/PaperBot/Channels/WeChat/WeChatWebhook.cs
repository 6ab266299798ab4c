// The server URL (服务器地址). GET is WeChat's check of the URL: echo echostr when the signature matches.
// POST is a message or event, handled in this order: size limit, signature and timestamp, the body's own
// signature (required once an EncodingAESKey is set: plaintext bodies are refused), decryption and safe XML
// parsing, the nonce (one body per signed URL), deduplication, then the answer. WeChat waits 5 seconds for
// it and retries three times, so a reply that takes longer is answered "success" at once and follows as a
// customer-service message.
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using PaperBot.Web;
using PaperBot.WeChat;

namespace PaperBot.Channels.WeChat;

public sealed class WeChatWebhook(
    WeChatEnvelope envelope,
    WeChatReceipts receipts,
    WeChatNonces nonces,
    WeChatFollowUps followUps,
    IServiceScopeFactory scopes,
    IOptions<WeChatOptions> options,
    IOptions<WebOptions> web,
    TimeProvider clock,
    ILogger<WeChatWebhook> logger)
{
    public const string Path = "/wechat";
    public const int MaxBodyBytes = WeChatXml.DefaultMaxBytes;

    private const string XmlContentType = "text/xml; charset=utf-8";
    private const string TextContentType = "text/plain; charset=utf-8";
    private const string LibraryPrefix = "wechat: ";

    public async Task<ContentHttpResult> VerifyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        try
        {
            envelope.Authenticate(request.Query);
        }
        catch (WeChatSignatureException error)
        {
            return Refused(request, StatusCodes.Status403Forbidden, "signature check failed", error.Message);
        }

        // The URL signature signs no body: spent on this check, it cannot carry a message in plain mode afterwards.
        var echostr = request.Query["echostr"].ToString();
        if (!await nonces.TryUseAsync(request.Query["timestamp"].ToString(), request.Query["nonce"].ToString(), VerificationBody(echostr), cancellationToken))
            return Refused(request, StatusCodes.Status403Forbidden, "nonce already used", "timestamp and nonce already used with a message");
        return TypedResults.Text(echostr, TextContentType);
    }

    /// <summary>What a verification spends its nonce on: never the body of a message (a NUL cannot be in XML).</summary>
    private static string VerificationBody(string echostr) => $"\0verify:{echostr}";

    public async Task<ContentHttpResult> ReceiveAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBodyBytes)
            return Refused(request, StatusCodes.Status413PayloadTooLarge, "body too large", $"Content-Length {request.ContentLength}");

        WeChatInboundMessage message;
        string body;
        var bodySigned = WeChatEnvelope.IsEncrypted(request.Query);
        try
        {
            body = await WeChatXml.ReadBodyAsync(request.Body, MaxBodyBytes, cancellationToken);
            envelope.Authenticate(request.Query);
            if (bodySigned && !envelope.CanDecrypt)
            {
                logger.LogWarning("wechat: an encrypted message arrived but WeChat__EncodingAesKey is empty; set it (and WeChat__AppId) as shown in the server configuration");
                return TypedResults.Text("encrypted messages are not configured", TextContentType, statusCode: StatusCodes.Status400BadRequest);
            }

            // With a key, WeChat signs every body (compatible mode too); a plaintext one is someone reusing a signed URL.
            if (!bodySigned && envelope.CanDecrypt)
                return Refused(request, StatusCodes.Status400BadRequest, "encrypted messages only", "a plaintext body without msg_signature, while WeChat__EncodingAesKey is set");

            message = WeChatXml.ParseMessage(envelope.Open(request.Query, body), MaxBodyBytes);
        }
        catch (WeChatXmlException error) when (error.Failure == WeChatXmlFailure.TooLarge)
        {
            return Refused(request, StatusCodes.Status413PayloadTooLarge, "body too large", error.Message);
        }
        catch (WeChatSignatureException error)
        {
            return Refused(request, StatusCodes.Status403Forbidden, "signature check failed", error.Message);
        }
        catch (WeChatException error)
        {
            return Refused(request, StatusCodes.Status400BadRequest, "not a WeChat message", error.Message);
        }

        if (!await nonces.TryUseAsync(request.Query["timestamp"].ToString(), request.Query["nonce"].ToString(), body, cancellationToken))
            return Refused(request, StatusCodes.Status403Forbidden, "nonce already used", "timestamp and nonce already used with another body");

        var key = message.DeduplicationKey;
        if (!await receipts.TryClaimAsync(key, cancellationToken))
        {
            var stored = await receipts.WaitForAnswerAsync(key, options.Value.ReplyBudget, cancellationToken);
            logger.LogDebug("wechat: message {Key} arrived again; answering as before", key);
            return Answer(request, stored ?? WeChatReply.Success);
        }

        var reply = await AnswerWithinBudgetAsync(message, bodySigned, web.Value.PublicBaseUrl(request));
        await receipts.SaveAnswerAsync(key, reply, CancellationToken.None);
        return Answer(request, reply);
    }

    /// <summary>The reply XML, or <c>success</c> when there is nothing to say or the answer is not ready within the budget.</summary>
    /// <param name="bodySigned">The body carried its own signature (msg_signature): only then may an admin's OpenID act as an admin.</param>
    private async Task<string> AnswerWithinBudgetAsync(WeChatInboundMessage message, bool bodySigned, string publicBaseUrl)
    {
        // Not the host's stopping token: a deploy that began meanwhile waits for the answer (WeChatFollowUps).
        var givingUp = followUps.GivingUp;
        var work = Task.Run(async () =>
        {
            await using var scope = scopes.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<WeChatConversation>().AnswerAsync(message, bodySigned, publicBaseUrl, givingUp);
        }, CancellationToken.None);

        var budget = options.Value.ReplyBudget;
        if (budget > TimeSpan.Zero)
        {
            try
            {
                return Render(message, await work.WaitAsync(budget, clock));
            }
            catch (TimeoutException)
            {
            }
            catch (Exception error)
            {
                logger.LogError(error, "wechat: unable to answer message {Key} from {OpenId}", message.DeduplicationKey, message.FromUserName);
                return WeChatReply.Success;
            }
        }

        followUps.Deliver(message.FromUserName, work);
        return WeChatReply.Success;
    }

    private string Render(WeChatInboundMessage message, WeChatAnswer answer) => answer switch
    {
        WeChatAnswer.Text text => WeChatReply.Text(message, clock.GetUtcNow(), text.Content),
        WeChatAnswer.News news => WeChatReply.News(message, clock.GetUtcNow(), [news.Article]),
        _ => WeChatReply.Success,
    };

    private ContentHttpResult Answer(HttpRequest request, string reply) =>
        reply == WeChatReply.Success
            ? TypedResults.Text(reply, TextContentType)
            : TypedResults.Text(envelope.Seal(request.Query, reply), XmlContentType);

    private ContentHttpResult Refused(HttpRequest request, int status, string body, string reason)
    {
        logger.LogWarning("wechat: refused a {Method} from {Address} with {Status}: {Reason}",
            request.Method, request.HttpContext.Connection.RemoteIpAddress, status, reason.StartsWith(LibraryPrefix, StringComparison.Ordinal) ? reason[LibraryPrefix.Length..] : reason);
        return TypedResults.Text(body, TextContentType, statusCode: status);
    }
}
