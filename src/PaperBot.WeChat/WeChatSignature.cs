// Tencent's signature contract (接入指南, 消息加解密说明): sort the strings in dictionary
// (ordinal) order, concatenate them without separators, SHA-1 the UTF-8 bytes, write lowercase hex.
// URL verification and plain-mode pushes sign (token, timestamp, nonce) as `signature`;
// safe-mode pushes and replies sign (token, timestamp, nonce, Encrypt) as `msg_signature`.
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;

namespace PaperBot.WeChat;

public static class WeChatSignature
{
    [SuppressMessage("Security", "CA5350", Justification = "Tencent's protocol defines these signatures as SHA-1.")]
    public static string Compute(params ReadOnlySpan<string> parts)
    {
        var sorted = parts.ToArray();
        Array.Sort(sorted, StringComparer.Ordinal);
        var hash = SHA1.HashData(Encoding.UTF8.GetBytes(string.Concat(sorted)));
        return Convert.ToHexStringLower(hash);
    }

    public static string ComputeUrlSignature(string token, string timestamp, string nonce) =>
        Compute(token, timestamp, nonce);

    public static string ComputeMessageSignature(string token, string timestamp, string nonce, string encrypt) =>
        Compute(token, timestamp, nonce, encrypt);

    /// <summary>
    /// Checks the <c>signature</c> query parameter of a push or of the GET URL verification.
    /// For an Official Account the verification GET is answered with <c>echostr</c> as it came,
    /// in every encryption mode.
    /// </summary>
    public static void VerifyUrlSignature(string token, string? signature, string? timestamp, string? nonce)
    {
        if (string.IsNullOrEmpty(signature) || string.IsNullOrEmpty(timestamp) || nonce is null)
        {
            throw new WeChatSignatureException("wechat: signature, timestamp or nonce is missing");
        }

        if (!Matches(ComputeUrlSignature(token, timestamp, nonce), signature))
        {
            throw new WeChatSignatureException("wechat: signature does not match");
        }
    }

    /// <summary>Checks the <c>msg_signature</c> query parameter against the body's <c>Encrypt</c>.</summary>
    public static void VerifyMessageSignature(
        string token, string? msgSignature, string? timestamp, string? nonce, string encrypt)
    {
        if (string.IsNullOrEmpty(msgSignature) || string.IsNullOrEmpty(timestamp) || nonce is null)
        {
            throw new WeChatSignatureException("wechat: msg_signature, timestamp or nonce is missing");
        }

        if (!Matches(ComputeMessageSignature(token, timestamp, nonce, encrypt), msgSignature))
        {
            throw new WeChatSignatureException("wechat: msg_signature does not match");
        }
    }

    private static bool Matches(string expected, string actual) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(actual));
}
