namespace PaperBot.WeChat.Tests;

public sealed class WeChatSignatureTests
{
    public static TheoryData<string, string, string, string> UrlSignatureVectors => new()
    {
        // developers.weixin.qq.com/doc/subscription/guide/dev/push/encryption.html (接入指引, 明文模式 example)
        { "AAAAA", "1714037059", "486452656", "899cf89e464efb63f54ddac96b0a0a235f53aa78" },
        // developers.weixin.qq.com/minigame/dev/guide/base-ability/message-push.html (发起验证 example)
        { "AAAAA", "1714036504", "1514711492", "f464b24fc39322e44b38aa78f5edd27bd1441696" },
        // wechatpy/wechatpy tests/test_utils.py, test_check_signature_should_ok
        { "test", "1410685589", "test", "f21891de399b4e33a1a93c9a7b8a8fffb5a443ff" },
    };

    public static TheoryData<string, string, string, string, string> MessageSignatureVectors => new()
    {
        // Tencent's sample code for Official Accounts (cryptoDemo.zip, Python Sample.py: "测试解密接口"),
        // as reproduced in charlesXu86/Chatbot_CN Chatbot_Web/impl/weixin/Sample.py
        { "spamtest", "1409735669", "1320562132", WeChatMessageCryptoTests.TencentSampleEncrypt, "5d197aaffba7e9b25a30732f161a50dee96bd5fa" },
        // wechatpy/wechatpy tests/test_crypto.py, test_check_signature_should_ok
        {
            "123456", "1411443780", "437374425",
            "4ByGGj+sVCYcvGeQYhaKIk1o0pQRNbRjxybjTGblXrBaXlTXeOo1+bXFXDQQb1o6co6Yh9Bv41n7hOchLF6p+Q==",
            "dd6b9c95b495b3f7e2901bfbc76c664930ffdb96"
        },
        // wechatpy/wechatpy tests/test_crypto.py, test_decrypt_message
        { "123456", "1411525903", "461056294", WeChatMessageCryptoTests.WechatpyEncrypt, "74d92dfeb87ba7c714f89d98870ae5eb62dff26d" },
    };

    [Theory]
    [MemberData(nameof(UrlSignatureVectors))]
    public void UrlSignatureMatchesPublishedVector(string token, string timestamp, string nonce, string expected)
    {
        Assert.Equal(expected, WeChatSignature.ComputeUrlSignature(token, timestamp, nonce));
        WeChatSignature.VerifyUrlSignature(token, expected, timestamp, nonce);
    }

    [Theory]
    [MemberData(nameof(MessageSignatureVectors))]
    public void MessageSignatureMatchesPublishedVector(string token, string timestamp, string nonce, string encrypt, string expected)
    {
        Assert.Equal(expected, WeChatSignature.ComputeMessageSignature(token, timestamp, nonce, encrypt));
        WeChatSignature.VerifyMessageSignature(token, expected, timestamp, nonce, encrypt);
    }

    [Fact]
    public void SignatureDoesNotDependOnTheOrderOfItsParts()
    {
        Assert.Equal(
            WeChatSignature.Compute("AAAAA", "1714037059", "486452656"),
            WeChatSignature.Compute("486452656", "AAAAA", "1714037059"));
    }

    [Theory]
    // wechatpy/wechatpy tests/test_utils.py, test_check_signature_should_fail: last hex digit changed
    [InlineData("test", "f21891de399b4e33a1a93c9a7b8a8fffb5a443fe", "1410685589", "test")]
    // the same signature presented for another nonce
    [InlineData("test", "f21891de399b4e33a1a93c9a7b8a8fffb5a443ff", "1410685589", "tesu")]
    // upper-case hex is not what Tencent sends
    [InlineData("test", "F21891DE399B4E33A1A93C9A7B8A8FFFB5A443FF", "1410685589", "test")]
    [InlineData("test", "", "1410685589", "test")]
    [InlineData("test", null, "1410685589", "test")]
    [InlineData("test", "f21891de399b4e33a1a93c9a7b8a8fffb5a443ff", null, "test")]
    [InlineData("test", "f21891de399b4e33a1a93c9a7b8a8fffb5a443ff", "1410685589", null)]
    public void UrlSignatureThatDoesNotMatchIsRejected(string token, string? signature, string? timestamp, string? nonce)
    {
        Assert.Throws<WeChatSignatureException>(() => WeChatSignature.VerifyUrlSignature(token, signature, timestamp, nonce));
    }

    [Fact]
    public void MessageSignatureForAnotherNonceIsRejected()
    {
        // wechatpy/wechatpy tests/test_crypto.py, test_check_signature_should_fail
        Assert.Throws<WeChatSignatureException>(() => WeChatSignature.VerifyMessageSignature(
            "123456",
            "dd6b9c95b495b3f7e2901bfbc76c664930ffdb96",
            "1411443780",
            "437374424",
            "4ByGGj+sVCYcvGeQYhaKIk1o0pQRNbRjxybjTGblXrBaXlTXeOo1+bXFXDQQb1o6co6Yh9Bv41n7hOchLF6p+Q=="));
    }
}
