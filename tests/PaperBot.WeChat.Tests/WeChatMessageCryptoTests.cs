using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;

namespace PaperBot.WeChat.Tests;

public sealed class WeChatMessageCryptoTests
{
    // Tencent's sample code for Official Accounts (cryptoDemo.zip, linked from 消息加解密说明),
    // Python Sample.py "测试解密接口", as reproduced in charlesXu86/Chatbot_CN
    // Chatbot_Web/impl/weixin/Sample.py. The plaintext below was also checked with
    // `openssl enc -d -aes-256-cbc -nopad`.
    internal const string TencentSampleToken = "spamtest";
    internal const string TencentSampleAesKey = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
    internal const string TencentSampleAppId = "wx2c2769f8efd9abc2";
    internal const string TencentSampleTimestamp = "1409735669";
    internal const string TencentSampleNonce = "1320562132";
    internal const string TencentSampleMsgSignature = "5d197aaffba7e9b25a30732f161a50dee96bd5fa";
    internal const string TencentSampleEncrypt =
        "hyzAe4OzmOMbd6TvGdIOO6uBmdJoD0Fk53REIHvxYtJlE2B655HuD0m8KUePWB3+LrPXo87wzQ1QLvbeUgmBM4x6F8PGHQHFVAFmOD2Ld"
        + "JF9FrXpbUAh0B5GIItb52sn896wVsMSHGuPE328HnRGBcrS7C41IzDWyWNlZkyyXwon8T332jisa+h6tEDYsVticbSnyU8dKOIbgU6ux5V"
        + "Tjg3yt+WGzjlpKn6NPhRjpA912xMezR4kw6KWwMrCVKSVCZciVGCgavjIQ6X8tCOp3yZbGpy0VxpAe+77TszTfRd5RJSVO/HTnifJpXgCS"
        + "UdUue1v6h0EIBYYI1BD1DlD+C0CR8e6OewpusjZ4uBl9FyJvnhvQl+q5rv1ixrcpCumEPo5MJSgM9ehVsNPfUM669WuMyVWQLCzpu9Ghg"
        + "lF2PE=";

    // wechatpy/wechatpy tests/test_crypto.py (test_decrypt_message, test_encrypt_message). The
    // vectors are for WeChat Work, whose envelope is the same with the CorpID in the AppId's place.
    internal const string WechatpyToken = "123456";
    internal const string WechatpyAesKey = "kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR";
    internal const string WechatpyAppId = "wx49f0ab532d5d035a";
    internal const string WechatpyEncrypt =
        "RgqEoJj5A4EMYlLvWO1F86ioRjZfaex/gePD0gOXTxpsq5Yj4GNglrBb8I2BAJVODGajiFnXBu7mCPatfjsu6IHCrsTyeDXzF6Bv283dGy"
        + "mzxh6ydJRvZsryDyZbLTE7rhnus50qGPMfp2wASFlzEgMW9z1ef/RD8XzaFYgm7iTdaXpXaG4+BiYyolBug/gYNx410cvkKR2/nPwBiT+"
        + "P4hIiOAQqGp/TywZBtDh1yCF2KOd0gpiMZ5jSw3e29mTvmUHzkVQiMS6td7vXUaWOMZnYZlF3So2SjHnwh4jYFxdgpkHHqIrH/54SNds"
        + "hoQgWYEvccTKe7FS709/5t6NMxuGhcUGAPOQipvWTT4dShyqio7mlsl5noTrb++x6En749zCpQVhDpbV6GDnTbcX2e8K9QaNWHp91eBd"
        + "CRxthuL0=";

    // Tencent's sample code for Official Accounts (cryptoDemo.zip), Java WXBizMsgCryptTest.java, as
    // reproduced in binarywang/WxJava (chanjarster/weixin-java-tools) weixin-java-common/src/test/java/
    // me/chanjar/weixin/common/util/crypto/WxCryptUtilTest.java: random prefix "aaaabbbbccccdddd".
    private const string JavaSampleAesKey = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
    private const string JavaSampleAppId = "wxb11529c136998cb6";
    private const string JavaSampleRandom = "aaaabbbbccccdddd";

    private const string JavaSampleReply2 =
        "<xml><ToUserName><![CDATA[oia2Tj我是中文jewbmiOUlr6X-1crbLOvLw]]></ToUserName><FromUserName><![CDATA[gh_7f083739789a]]>"
        + "</FromUserName><CreateTime>1407743423</CreateTime><MsgType><![CDATA[video]]></MsgType><Video><MediaId><![CDATA["
        + "eYJ1MbwPRJtOvIEabaxHs7TX2D-HV71s79GUxqdUkjm6Gs2Ed1KF3ulAOA9H1xG0]]></MediaId><Title><![CDATA[testCallBackReplyVideo]]>"
        + "</Title><Description><![CDATA[testCallBackReplyVideo]]></Description></Video></xml>";

    private const string JavaSampleEncrypt2 =
        "jn1L23DB+6ELqJ+6bruv23M2GmYfkv0xBh2h+XTBOKVKcgDFHle6gqcZ1cZrk3e1qjPQ1F4RsLWzQRG9udbKWesxlkupqcEcW7ZQweImX9+wL"
        + "Ma0GaUzpkycA8+IamDBxn5loLgZpnS7fVAbExOkK5DYHBmv5tptA9tklE/fTIILHR8HLXa5nQvFb3tYPKAlHF3rtTeayNf0QuM+UW/wM9e"
        + "nGIDIJHF7CLHiDNAYxr+r+OrJCmPQyTy8cVWlu9iSvOHPT/77bZqJucQHQ04sq7KZI27OcqpQNSto2OdHCoTccjggX5Z9Mma0nMJBU+jLK"
        + "J38YB1fBIz+vBzsYjrTmFQ44YfeEuZ+xRTQwr92vhA9OxchWVINGC50qE/6lmkwWTwGX9wtQpsJKhP+oS7rvTY8+VdzETdfakjkwQ5/Xka0"
        + "42OlUb1/slTwo4RscuQ+RdxSGvDahxAJ6+EAjLt9d8igHngxIbf6YyqqROxuxqIeIch3CssH/LqRs+iAcILvApYZckqmA7FNERspKA5f8Go"
        + "J9sv8xmGvZ9Yrf57cExWtnX8aCMMaBropU/1k+hKP5LVdzbWCG0hGwx/dQudYR/eXp3P0XxjlFiy+9DMlaFExWUZQDajPkdPrEeOwofJb";

    private static readonly string TencentSamplePlaintext = string.Join(
        "\n",
        "<xml><ToUserName><![CDATA[gh_10f6c3c3ac5a]]></ToUserName>",
        "<FromUserName><![CDATA[oyORnuP8q7ou2gfYjqLzSIWZf0rs]]></FromUserName>",
        "<CreateTime>1409735668</CreateTime>",
        "<MsgType><![CDATA[text]]></MsgType>",
        "<Content><![CDATA[abcdteT]]></Content>",
        "<MsgId>6054768590064713728</MsgId>",
        "</xml>");

    private static readonly string TencentSamplePostBody =
        "<xml><ToUserName><![CDATA[gh_10f6c3c3ac5a]]></ToUserName><FromUserName><![CDATA[oyORnuP8q7ou2gfYjqLzSIWZf0rs]]>"
        + "</FromUserName><CreateTime>1409735668</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[abcdteT]]>"
        + "</Content><MsgId>6054768590064713728</MsgId><Encrypt><![CDATA[" + TencentSampleEncrypt + "]]></Encrypt></xml>";

    [Fact]
    public void DecryptMessageReturnsTheExactInnerXmlOfTencentsSample()
    {
        var crypto = new WeChatMessageCrypto(TencentSampleToken, TencentSampleAesKey, TencentSampleAppId);

        var inner = crypto.DecryptMessage(TencentSampleMsgSignature, TencentSampleTimestamp, TencentSampleNonce, TencentSamplePostBody);

        Assert.Equal(TencentSamplePlaintext, inner);
        var message = Assert.IsType<TextMessage>(WeChatXml.ParseMessage(inner));
        Assert.Equal("abcdteT", message.Content);
        Assert.Equal(6054768590064713728, message.MsgId);
    }

    [Fact]
    public void DecryptMessageReturnsTheExactInnerXmlOfWechatpysSampleWhosePaddingIsOneByte()
    {
        var crypto = new WeChatMessageCrypto(WechatpyToken, WechatpyAesKey, WechatpyAppId);
        var body = "<xml><ToUserName><![CDATA[wx49f0ab532d5d035a]]></ToUserName>\n<Encrypt><![CDATA["
            + WechatpyEncrypt + "]]></Encrypt>\n<AgentID><![CDATA[1]]></AgentID>\n</xml>";

        var inner = crypto.DecryptMessage("74d92dfeb87ba7c714f89d98870ae5eb62dff26d", "1411525903", "461056294", body);

        var expected = string.Join(
            "\n",
            "<xml><ToUserName><![CDATA[wx49f0ab532d5d035a]]></ToUserName>",
            "<FromUserName><![CDATA[messense]]></FromUserName>",
            "<CreateTime>1411525903</CreateTime>",
            "<MsgType><![CDATA[text]]></MsgType>",
            "<Content><![CDATA[test]]></Content>",
            "<MsgId>4363689963896700987</MsgId>",
            "<AgentID>1</AgentID>",
            "</xml>");
        Assert.Equal(expected, inner);
    }

    [Theory]
    [InlineData("我是中文abcd123", "jn1L23DB+6ELqJ+6bruv21Y6MD7KeIfP82D6gU39rmkgczbWwt5+3bnyg5K55bgVtVzd832WzZGMhkP72vVOfg==")]
    [InlineData(JavaSampleReply2, JavaSampleEncrypt2)]
    public void EncryptWithFixedRandomBytesMatchesTencentsJavaSample(string message, string expected)
    {
        var crypto = new WeChatMessageCrypto("pamtest", JavaSampleAesKey, JavaSampleAppId, new FixedRandomNumberGenerator(JavaSampleRandom));

        Assert.Equal(expected, crypto.Encrypt(message));
        Assert.Equal(message, crypto.Decrypt(expected));
    }

    [Fact]
    public void EncryptReplyMatchesWechatpysPublishedEnvelope()
    {
        var crypto = new WeChatMessageCrypto(WechatpyToken, WechatpyAesKey, WechatpyAppId, new FixedRandomNumberGenerator("1234567890123456"));
        var reply = string.Join(
            "\n",
            "<xml>",
            "<MsgType><![CDATA[text]]></MsgType>",
            "<Content><![CDATA[test]]></Content>",
            "<FromUserName><![CDATA[wx49f0ab532d5d035a]]></FromUserName>",
            "<ToUserName><![CDATA[messense]]></ToUserName>",
            "<AgentID>1</AgentID>",
            "<CreateTime>1411525903</CreateTime>",
            "</xml>");

        var envelope = crypto.EncryptReply(reply, "1411525903", "461056294");

        const string ExpectedEncrypt =
            "9s4gMv99m88kKTh/H8IdkOiMg6bisoy3ypwy9H4hvSPe9nsGaqyw5hhSjdYbcrKk+j3nba4HMOTzHrluLBYqxgNcBqGsL8GqxlhZgURnAtObve"
            + "sEl5nZ+uBE8bviY0LWke8Zy9V/QYKxNV2FqllNXcfmstttyIkMKCCmVbCFM2JTF5wY0nFhHZSjPUL2Q1qvSUCUld+/WIXrx0oyKQmpB6o8NR"
            + "rrNrsDf03oxI1p9FxUgMnwKKZeOA/uu+2IEvEBtb7muXsVbwbgX05UPPJvFurDXafG0RQyPR+mf1nDnAtQmmNOuiR5MIkdQ39xn1vWwi1O5o"
            + "azPoQJz0nTYjxxEE8kv3kFxtAGVRe3ypD3WeK2XeFYFMNMpatF9XiKzHo3";
        Assert.Equal(
            "<xml><Encrypt><![CDATA[" + ExpectedEncrypt + "]]></Encrypt>"
            + "<MsgSignature><![CDATA[407518b7649e86ef23978113f92d27afa9296533]]></MsgSignature>"
            + "<TimeStamp>1411525903</TimeStamp><Nonce><![CDATA[461056294]]></Nonce></xml>",
            envelope);
    }

    [Fact]
    public void EncryptedReplyEnvelopeDecryptsBackWithItsOwnSignature()
    {
        var crypto = new WeChatMessageCrypto(TencentSampleToken, TencentSampleAesKey, TencentSampleAppId);
        var reply = WeChatReply.Text("oUser", "gh_account", DateTimeOffset.FromUnixTimeSeconds(1714037059), "收到 ]]> 了");

        var envelope = XElement.Parse(crypto.EncryptReply(reply, "1714037059", "486452656"));

        Assert.Equal(
            reply,
            crypto.DecryptMessage(envelope.Element("MsgSignature")!.Value, envelope.Element("TimeStamp")!.Value, envelope.Element("Nonce")!.Value, envelope.ToString()));
    }

    [Fact]
    public void PlaintextWhoseLengthIsAMultipleOf32GetsAWholePaddingBlock()
    {
        // 16 random + 4 length + 26 message + 18 AppId = 64 bytes. Expected ciphertext computed with
        // `openssl enc -aes-256-cbc -nopad` over the same 64 bytes followed by 32 × 0x20; not a published vector.
        const string Message = "abcdefghijklmnopqrstuvwxyz";
        const string Expected =
            "jn1L23DB+6ELqJ+6bruv24kfnRA9CJ8qXRQfcTjuspbcu/BSVDHix6RSI3nK3z+fMd03dqZ5HIPCrQNNDa2xYd47apRHAo9FEf57/GQVWffqnF3Wz"
            + "heksoIGmk00BgBc";
        var crypto = new WeChatMessageCrypto("pamtest", JavaSampleAesKey, JavaSampleAppId, new FixedRandomNumberGenerator(JavaSampleRandom));

        var encrypted = crypto.Encrypt(Message);

        Assert.Equal(Expected, encrypted);
        var plaintext = DecryptRaw(JavaSampleAesKey, encrypted);
        Assert.Equal(96, plaintext.Length);
        Assert.All(plaintext[^32..], b => Assert.Equal(32, b));
        Assert.Equal(Message, crypto.Decrypt(encrypted));
    }

    [Fact]
    public void EveryPaddingLengthFromOneTo32RoundTrips()
    {
        var crypto = new WeChatMessageCrypto(TencentSampleToken, TencentSampleAesKey, TencentSampleAppId);
        var paddings = new HashSet<int>();

        for (var length = 0; length < 64; length++)
        {
            var message = new string('x', length);
            var encrypted = crypto.Encrypt(message);
            var plaintext = DecryptRaw(TencentSampleAesKey, encrypted);

            Assert.Equal(0, plaintext.Length % 32);
            paddings.Add(plaintext[^1]);
            Assert.Equal(message, crypto.Decrypt(encrypted));
        }

        Assert.Equal(Enumerable.Range(1, 32).ToHashSet(), paddings);
    }

    [Theory]
    [InlineData("")]
    [InlineData("中文")]
    [InlineData("本周论文：大模型推理 🚀📄 家庭 👨‍👩‍👧 旗 🇨🇳 罕见字 𠀀𪚥")]
    [InlineData("<xml><Content><![CDATA[a]]]]><![CDATA[>b]]></Content></xml>")]
    public void ChineseAndEmojiRoundTripByteExact(string message)
    {
        var crypto = new WeChatMessageCrypto(TencentSampleToken, TencentSampleAesKey, TencentSampleAppId);

        var encrypted = crypto.Encrypt(message);
        var plaintext = DecryptRaw(TencentSampleAesKey, encrypted);
        var declaredLength = BinaryPrimitives.ReadUInt32BigEndian(plaintext.AsSpan(16, 4));

        Assert.Equal(Encoding.UTF8.GetByteCount(message), (int)declaredLength);
        Assert.Equal(Encoding.UTF8.GetBytes(message), plaintext.AsSpan(20, (int)declaredLength).ToArray());
        Assert.Equal(message, crypto.Decrypt(encrypted));
    }

    [Fact]
    public void EachEncryptionUsesFreshRandomBytes()
    {
        var crypto = new WeChatMessageCrypto(TencentSampleToken, TencentSampleAesKey, TencentSampleAppId);

        Assert.NotEqual(crypto.Encrypt("same"), crypto.Encrypt("same"));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(17)]
    [InlineData(100)]
    [InlineData(-1)]
    public void CiphertextWithAFlippedByteIsRejected(int position)
    {
        var crypto = new WeChatMessageCrypto(TencentSampleToken, TencentSampleAesKey, TencentSampleAppId);
        var bytes = Convert.FromBase64String(TencentSampleEncrypt);
        bytes[position < 0 ? bytes.Length + position : position] ^= 0x01;

        Assert.Throws<WeChatDecryptionException>(() => crypto.Decrypt(Convert.ToBase64String(bytes)));
    }

    [Fact]
    public void TamperedEncryptUnderTheOriginalSignatureIsRejectedBySignature()
    {
        var crypto = new WeChatMessageCrypto(TencentSampleToken, TencentSampleAesKey, TencentSampleAppId);
        var bytes = Convert.FromBase64String(TencentSampleEncrypt);
        bytes[40] ^= 0x80;
        var body = TencentSamplePostBody.Replace(TencentSampleEncrypt, Convert.ToBase64String(bytes), StringComparison.Ordinal);

        Assert.Throws<WeChatSignatureException>(
            () => crypto.DecryptMessage(TencentSampleMsgSignature, TencentSampleTimestamp, TencentSampleNonce, body));
    }

    [Fact]
    public void MessageForAnotherAppIdIsRejected()
    {
        var crypto = new WeChatMessageCrypto(TencentSampleToken, TencentSampleAesKey, "wx0000000000000000");

        var e = Assert.Throws<WeChatDecryptionException>(
            () => crypto.DecryptMessage(TencentSampleMsgSignature, TencentSampleTimestamp, TencentSampleNonce, TencentSamplePostBody));

        Assert.Equal(WeChatDecryptionFailure.AppIdMismatch, e.Failure);
    }

    [Fact]
    public void BadMsgSignatureIsRejectedBeforeAnyDecryption()
    {
        var crypto = new WeChatMessageCrypto(TencentSampleToken, TencentSampleAesKey, TencentSampleAppId);
        const string Body = "<xml><Encrypt><![CDATA[this is not even Base64!]]></Encrypt></xml>";

        Assert.Throws<WeChatSignatureException>(
            () => crypto.DecryptMessage(TencentSampleMsgSignature, TencentSampleTimestamp, TencentSampleNonce, Body));
    }

    [Fact]
    public void MissingMsgSignatureIsRejected()
    {
        var crypto = new WeChatMessageCrypto(TencentSampleToken, TencentSampleAesKey, TencentSampleAppId);

        Assert.Throws<WeChatSignatureException>(
            () => crypto.DecryptMessage("", TencentSampleTimestamp, TencentSampleNonce, TencentSamplePostBody));
    }

    [Fact]
    public void BodyWithoutEncryptIsRejected()
    {
        var crypto = new WeChatMessageCrypto(TencentSampleToken, TencentSampleAesKey, TencentSampleAppId);

        var e = Assert.Throws<WeChatXmlException>(() => crypto.DecryptMessage(
            TencentSampleMsgSignature, TencentSampleTimestamp, TencentSampleNonce, "<xml><ToUserName>gh_1</ToUserName></xml>"));

        Assert.Equal(WeChatXmlFailure.MissingElement, e.Failure);
    }

    [Theory]
    [InlineData("this is not even Base64!", WeChatDecryptionFailure.InvalidBase64)]
    [InlineData("AAAAAAAAAAAAAAAAAAAA", WeChatDecryptionFailure.InvalidCiphertextLength)]
    [InlineData("", WeChatDecryptionFailure.InvalidCiphertextLength)]
    public void EncryptThatIsNotWholeAesBlocksIsRejectedEvenUnderAValidSignature(string encrypt, WeChatDecryptionFailure failure)
    {
        var crypto = new WeChatMessageCrypto(TencentSampleToken, TencentSampleAesKey, TencentSampleAppId);
        var signature = WeChatSignature.ComputeMessageSignature(TencentSampleToken, TencentSampleTimestamp, TencentSampleNonce, encrypt);

        var e = Assert.Throws<WeChatDecryptionException>(() => crypto.DecryptMessage(
            signature, TencentSampleTimestamp, TencentSampleNonce, $"<xml><Encrypt><![CDATA[{encrypt}]]></Encrypt></xml>"));

        Assert.Equal(failure, e.Failure);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(33)]
    [InlineData(255)]
    public void PaddingByteOutsideOneTo32IsRejected(byte padding)
    {
        var plaintext = Envelope("hello", TencentSampleAppId);
        plaintext[^1] = padding;

        AssertDecryptionFails(plaintext, WeChatDecryptionFailure.InvalidPadding);
    }

    [Fact]
    public void PaddingWhoseBytesDisagreeIsRejected()
    {
        var plaintext = Envelope("hello", TencentSampleAppId);
        var padding = plaintext[^1];
        Assert.True(padding > 1);
        plaintext[^padding] ^= 0x01;

        AssertDecryptionFails(plaintext, WeChatDecryptionFailure.InvalidPadding);
    }

    [Theory]
    [InlineData(1000u)]
    [InlineData(uint.MaxValue)]
    public void LengthFieldLargerThanTheEnvelopeIsRejected(uint declaredLength)
    {
        var plaintext = Envelope("hello", TencentSampleAppId);
        BinaryPrimitives.WriteUInt32BigEndian(plaintext.AsSpan(16, 4), declaredLength);

        AssertDecryptionFails(plaintext, WeChatDecryptionFailure.InvalidMessageLength);
    }

    [Fact]
    public void EnvelopeTooShortForItsHeaderIsRejected()
    {
        var plaintext = Enumerable.Repeat((byte)16, 32).ToArray();

        AssertDecryptionFails(plaintext, WeChatDecryptionFailure.InvalidMessageLength);
    }

    [Fact]
    public void MessageThatIsNotUtf8IsRejected()
    {
        var plaintext = Envelope("héllo", TencentSampleAppId);
        plaintext[21] = 0xFF;

        AssertDecryptionFails(plaintext, WeChatDecryptionFailure.InvalidMessageEncoding);
    }

    [Theory]
    [InlineData("")]
    [InlineData("abcdefghijklmnopqrstuvwxyz0123456789ABCDEF")]
    [InlineData("abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGH")]
    [InlineData("abcdefghijklmnopqrstuvwxyz0123456789ABCDEF*")]
    [InlineData("abcdefghijklmnopqrstuvwxyz0123456789ABCDEF=")]
    public void EncodingAesKeyThatIsNot43Base64CharactersIsRejectedWithoutEchoingIt(string key)
    {
        var e = Assert.Throws<ArgumentException>(() => new WeChatMessageCrypto(TencentSampleToken, key, TencentSampleAppId));

        Assert.Contains("43", e.Message, StringComparison.Ordinal);
        if (key.Length > 0)
        {
            Assert.DoesNotContain(key, e.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void NullEncodingAesKeyIsRejected()
    {
        Assert.Throws<ArgumentException>(() => new WeChatMessageCrypto(TencentSampleToken, null!, TencentSampleAppId));
    }

    private static void AssertDecryptionFails(byte[] plaintext, WeChatDecryptionFailure failure)
    {
        var crypto = new WeChatMessageCrypto(TencentSampleToken, TencentSampleAesKey, TencentSampleAppId);

        var e = Assert.Throws<WeChatDecryptionException>(() => crypto.Decrypt(EncryptRaw(TencentSampleAesKey, plaintext)));

        Assert.Equal(failure, e.Failure);
    }

    /// <summary>A correctly padded envelope, built here independently of the code under test.</summary>
    private static byte[] Envelope(string message, string appId)
    {
        var body = Encoding.UTF8.GetBytes(message);
        var id = Encoding.UTF8.GetBytes(appId);
        var unpadded = 16 + 4 + body.Length + id.Length;
        var padding = 32 - (unpadded % 32);
        var envelope = new byte[unpadded + padding];
        BinaryPrimitives.WriteUInt32BigEndian(envelope.AsSpan(16, 4), (uint)body.Length);
        body.CopyTo(envelope, 20);
        id.CopyTo(envelope, 20 + body.Length);
        envelope.AsSpan(unpadded).Fill((byte)padding);
        return envelope;
    }

    private static string EncryptRaw(string encodingAesKey, byte[] plaintext)
    {
        using var aes = Aes.Create();
        aes.Key = Convert.FromBase64String(encodingAesKey + "=");
        return Convert.ToBase64String(aes.EncryptCbc(plaintext, aes.Key.AsSpan(0, 16), PaddingMode.None));
    }

    private static byte[] DecryptRaw(string encodingAesKey, string encrypted)
    {
        using var aes = Aes.Create();
        aes.Key = Convert.FromBase64String(encodingAesKey + "=");
        return aes.DecryptCbc(Convert.FromBase64String(encrypted), aes.Key.AsSpan(0, 16), PaddingMode.None);
    }
}
