// WeChat signs every request to the server URL: `signature` = SHA-1 of the sorted Token, timestamp and nonce
// (接入指南). In compatible and safe mode (消息加解密说明) the query also carries encrypt_type=aes and
// msg_signature, which signs the body's Encrypt as well; the reply is then encrypted and signed the same way.
// Compatible mode differs from safe mode only by plaintext copies of the fields, which we do not read.
using System.Globalization;
using Microsoft.Extensions.Options;
using PaperBot.WeChat;

namespace PaperBot.Channels.WeChat;

/// <summary>Checks where a request comes from, opens its encrypted body, and seals the reply to it.</summary>
public sealed class WeChatEnvelope
{
    private readonly WeChatOptions options;
    private readonly TimeProvider clock;
    private readonly WeChatMessageCrypto? crypto;

    public WeChatEnvelope(IOptions<WeChatOptions> options, TimeProvider clock)
    {
        this.options = options.Value;
        this.clock = clock;
        crypto = this.options.CanDecrypt ? new WeChatMessageCrypto(this.options.Token, this.options.EncodingAesKey, this.options.AppId) : null;
    }

    public bool CanDecrypt => crypto is not null;

    public static bool IsEncrypted(IQueryCollection query) => string.Equals(query["encrypt_type"], "aes", StringComparison.Ordinal);

    /// <summary>The <c>signature</c> matches and the timestamp is fresh; otherwise a <see cref="WeChatSignatureException"/>.</summary>
    public void Authenticate(IQueryCollection query)
    {
        string? timestamp = query["timestamp"];
        WeChatSignature.VerifyUrlSignature(options.Token, query["signature"], timestamp, query["nonce"]);
        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || seconds > DateTimeOffset.MaxValue.ToUnixTimeSeconds()
            || (clock.GetUtcNow() - DateTimeOffset.FromUnixTimeSeconds(seconds)).Duration() > options.MaxTimestampSkew)
        {
            throw new WeChatSignatureException("wechat: timestamp is outside the allowed skew");
        }
    }

    /// <summary>The message XML: the body itself in plain mode, the checked and decrypted <c>Encrypt</c> otherwise.</summary>
    public string Open(IQueryCollection query, string body)
    {
        if (!IsEncrypted(query))
            return body;
        var decryptor = crypto ?? throw new InvalidOperationException("wechat: an encrypted message needs WeChat:EncodingAesKey");
        return decryptor.DecryptMessage(query["msg_signature"].ToString(), query["timestamp"].ToString(), query["nonce"].ToString(), body);
    }

    /// <summary>The reply as it goes back: encrypted and signed when the request was; <c>success</c> never is.</summary>
    public string Seal(IQueryCollection query, string reply)
    {
        if (!IsEncrypted(query) || crypto is null || reply == WeChatReply.Success)
            return reply;
        return crypto.EncryptReply(reply, query["timestamp"].ToString(), query["nonce"].ToString());
    }
}
