using System.Globalization;
using System.Text;

namespace PaperBot.WeChat.Tests;

public sealed class WeChatTextTests
{
    public static TheoryData<string, int, string> Truncations => new()
    {
        { "short", 2048, "short" },
        { new string('a', 2048), 2048, new string('a', 2048) },
        { new string('a', 2049), 2048, new string('a', 2045) + "…" },
        // 683 × 3 bytes = 2049: 681 characters and the 3-byte ellipsis make 2046
        { new string('论', 683), 2048, new string('论', 681) + "…" },
        // an emoji is 4 bytes (a surrogate pair): 10 bytes leave room for 1 emoji + "…"
        { "😀😀😀", 10, "😀…" },
        { "😀😀😀", 6, "…" },
        // a family emoji is one grapheme of 18 bytes: it is kept whole or not at all
        { "ab👨‍👩‍👧cdef", 22, "ab…" },
        { "ab👨‍👩‍👧cdef", 23, "ab👨‍👩‍👧…" },
        { "论文😀论文", 10, "论文…" },
        { "abcdef", 4, "a..." },
    };

    [Theory]
    [MemberData(nameof(Truncations))]
    public void TruncationCutsBetweenCharacters(string text, int maxBytes, string expected)
    {
        var ellipsis = expected.EndsWith("...", StringComparison.Ordinal) ? "..." : "…";

        var truncated = WeChatText.TruncateUtf8(text, maxBytes, ellipsis);

        Assert.Equal(expected, truncated);
        Assert.True(Encoding.UTF8.GetByteCount(truncated) <= maxBytes);
    }

    [Fact]
    public void ChineseAndEmojiDigestIsTruncatedTo2048BytesOnACharacterBoundary()
    {
        var builder = new StringBuilder();
        for (var i = 0; builder.Length < 3000; i++)
        {
            builder.Append(CultureInfo.InvariantCulture, $"{i}. 大语言模型推理加速 🚀 新方法 📄\n");
        }

        var truncated = WeChatText.TruncateUtf8(builder.ToString());
        var bytes = Encoding.UTF8.GetBytes(truncated);

        Assert.InRange(bytes.Length, 2048 - 4 - 3, 2048);
        Assert.EndsWith("…", truncated, StringComparison.Ordinal);
        Assert.False(char.IsHighSurrogate(truncated[^2]));
        Assert.Equal(truncated, new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes));
        Assert.StartsWith(truncated[..^1], builder.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void EllipsisLongerThanTheLimitIsRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => WeChatText.TruncateUtf8("abcdef", 2, "…"));
    }
}
