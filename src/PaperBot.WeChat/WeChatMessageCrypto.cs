// The safe-mode envelope (消息加解密说明, 技术方案):
//   AESKey = Base64_Decode(EncodingAESKey + "="), 32 bytes; IV = the first 16 key bytes; AES-256-CBC.
//   plaintext = random (16 bytes) ‖ msg_len (4 bytes, big-endian) ‖ msg (UTF-8) ‖ AppId,
//   padded PKCS#7-style to a multiple of 32 bytes (K = 32, not the AES block size): n bytes of
//   value n, n in 1..32, so a plaintext already a multiple of 32 gets a whole block of 32 × 0x20.
//   Encrypt = Base64(ciphertext); it is authenticated only by msg_signature, which is therefore
//   checked before a single byte is decrypted.
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace PaperBot.WeChat;

public sealed class WeChatMessageCrypto
{
    private const int EncodingAesKeyLength = 43;
    private const int AesKeyLength = 32;
    private const int RandomPrefixLength = 16;
    private const int LengthFieldLength = 4;
    private const int PaddingBlockSize = 32;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly string _token;
    private readonly byte[] _key;
    private readonly byte[] _iv;
    private readonly byte[] _appId;
    private readonly RandomNumberGenerator? _random;

    /// <summary>A <paramref name="random"/> source replaces the system's for the 16 prefix bytes; tests pass a fixed one.</summary>
    public WeChatMessageCrypto(string token, string encodingAesKey, string appId, RandomNumberGenerator? random = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(token);
        ArgumentException.ThrowIfNullOrEmpty(appId);
        _token = token;
        _key = DecodeEncodingAesKey(encodingAesKey);
        _iv = _key[..16];
        _appId = Encoding.UTF8.GetBytes(appId);
        _random = random;
    }

    /// <summary>The largest POST body <see cref="DecryptMessage"/> reads.</summary>
    public int MaxBodyBytes { get; init; } = WeChatXml.DefaultMaxBytes;

    /// <summary>
    /// Reads <c>Encrypt</c> from a safe-mode (or compatible-mode) POST body, checks
    /// <c>msg_signature</c>, and returns the inner message XML.
    /// </summary>
    public string DecryptMessage(string msgSignature, string timestamp, string nonce, string postBodyXml)
    {
        var encrypt = WeChatXml.ReadEncrypt(postBodyXml, MaxBodyBytes);
        WeChatSignature.VerifyMessageSignature(_token, msgSignature, timestamp, nonce, encrypt);
        return Decrypt(encrypt);
    }

    /// <summary>Wraps a passive reply in the envelope Tencent expects in safe mode.</summary>
    public string EncryptReply(string replyXml, string timestamp, string nonce)
    {
        var encrypt = Encrypt(replyXml);
        var signature = WeChatSignature.ComputeMessageSignature(_token, timestamp, nonce, encrypt);
        return WeChatXml.Write(writer =>
        {
            WeChatXml.WriteCData(writer, "Encrypt", encrypt);
            WeChatXml.WriteCData(writer, "MsgSignature", signature);
            WeChatXml.WriteText(writer, "TimeStamp", timestamp);
            WeChatXml.WriteCData(writer, "Nonce", nonce);
        });
    }

    /// <summary>Encrypts a message into the Base64 <c>Encrypt</c> value.</summary>
    public string Encrypt(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var messageLength = Encoding.UTF8.GetByteCount(message);
        var unpaddedLength = RandomPrefixLength + LengthFieldLength + messageLength + _appId.Length;
        var padding = PaddingBlockSize - (unpaddedLength % PaddingBlockSize);
        var plaintext = new byte[unpaddedLength + padding];
        var span = plaintext.AsSpan();

        FillRandom(span[..RandomPrefixLength]);
        BinaryPrimitives.WriteUInt32BigEndian(span.Slice(RandomPrefixLength, LengthFieldLength), (uint)messageLength);
        Encoding.UTF8.GetBytes(message, span.Slice(RandomPrefixLength + LengthFieldLength, messageLength));
        _appId.CopyTo(span[(unpaddedLength - _appId.Length)..]);
        span[unpaddedLength..].Fill((byte)padding);

        using var aes = CreateAes();
        return Convert.ToBase64String(aes.EncryptCbc(plaintext, _iv, PaddingMode.None));
    }

    /// <summary>Decrypts a Base64 <c>Encrypt</c> value; the caller has already checked its signature.</summary>
    public string Decrypt(string encrypted)
    {
        ArgumentNullException.ThrowIfNull(encrypted);
        byte[] ciphertext;
        try
        {
            ciphertext = Convert.FromBase64String(encrypted);
        }
        catch (FormatException)
        {
            throw new WeChatDecryptionException(WeChatDecryptionFailure.InvalidBase64, "wechat: Encrypt is not Base64");
        }

        if (ciphertext.Length == 0 || ciphertext.Length % 16 != 0)
        {
            throw new WeChatDecryptionException(
                WeChatDecryptionFailure.InvalidCiphertextLength, "wechat: Encrypt is not a whole number of AES blocks");
        }

        using var aes = CreateAes();
        var plaintext = aes.DecryptCbc(ciphertext, _iv, PaddingMode.None);
        var content = plaintext.AsSpan(0, plaintext.Length - ReadPadding(plaintext));

        if (content.Length < RandomPrefixLength + LengthFieldLength)
        {
            throw new WeChatDecryptionException(
                WeChatDecryptionFailure.InvalidMessageLength, "wechat: decrypted envelope is too short");
        }

        var afterPrefix = content[RandomPrefixLength..];
        var messageLength = BinaryPrimitives.ReadUInt32BigEndian(afterPrefix);
        var body = afterPrefix[LengthFieldLength..];
        if (messageLength > (uint)body.Length)
        {
            throw new WeChatDecryptionException(
                WeChatDecryptionFailure.InvalidMessageLength, "wechat: decrypted message length exceeds the envelope");
        }

        var message = body[..(int)messageLength];
        if (!body[(int)messageLength..].SequenceEqual(_appId))
        {
            throw new WeChatDecryptionException(
                WeChatDecryptionFailure.AppIdMismatch, "wechat: decrypted message is addressed to another AppId");
        }

        try
        {
            return StrictUtf8.GetString(message);
        }
        catch (DecoderFallbackException)
        {
            throw new WeChatDecryptionException(
                WeChatDecryptionFailure.InvalidMessageEncoding, "wechat: decrypted message is not UTF-8");
        }
    }

    private static int ReadPadding(byte[] plaintext)
    {
        var padding = plaintext[^1];
        if (padding is < 1 or > PaddingBlockSize || padding > plaintext.Length
            || plaintext.AsSpan(plaintext.Length - padding).ContainsAnyExcept(padding))
        {
            throw new WeChatDecryptionException(WeChatDecryptionFailure.InvalidPadding, "wechat: decrypted padding is invalid");
        }

        return padding;
    }

    private static byte[] DecodeEncodingAesKey(string encodingAesKey)
    {
        // The key itself never goes into the message: exception text ends up in logs.
        const string Problem = "EncodingAESKey must be 43 Base64 characters that decode to 32 bytes";
        if (encodingAesKey is not { Length: EncodingAesKeyLength })
        {
            throw new ArgumentException(Problem, nameof(encodingAesKey));
        }

        var key = new byte[AesKeyLength + 1];
        if (!Convert.TryFromBase64String(encodingAesKey + "=", key, out var written) || written != AesKeyLength)
        {
            throw new ArgumentException(Problem, nameof(encodingAesKey));
        }

        return key[..AesKeyLength];
    }

    private Aes CreateAes()
    {
        var aes = Aes.Create();
        aes.Key = _key;
        return aes;
    }

    private void FillRandom(Span<byte> destination)
    {
        if (_random is null)
        {
            RandomNumberGenerator.Fill(destination);
        }
        else
        {
            _random.GetBytes(destination);
        }
    }
}
