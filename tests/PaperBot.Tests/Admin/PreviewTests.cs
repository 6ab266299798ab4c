using PaperBot.Admin;

namespace PaperBot.Tests.Admin;

public sealed class PreviewTests
{
    [Theory]
    [InlineData("<b>bold</b> and <i>it</i> <code>x</code>", "<b>bold</b> and <i>it</i> <code>x</code>")]
    [InlineData("<a href=\"https://arxiv.org/abs/1?a=1&amp;b=2\">paper</a>", "<a href=\"https://arxiv.org/abs/1?a=1&amp;b=2\" rel=\"noopener noreferrer\" target=\"_blank\">paper</a>")]
    [InlineData("<a href=\"javascript:alert(1)\">x</a>", "&lt;a href=&quot;javascript:alert(1)&quot;&gt;x</a>")]
    [InlineData("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;")]
    [InlineData("<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert(1)&gt;")]
    [InlineData("<b onclick=\"x\">hi</b>", "&lt;b onclick=&quot;x&quot;&gt;hi</b>")]
    [InlineData("a &lt; b &amp; c & d", "a &lt; b &amp; c &amp; d")]
    public void TelegramHtmlKeepsOnlyTelegramsTags(string html, string expected)
    {
        Assert.Equal(expected, PreviewHtml.Sanitize(html));
    }

    [Theory]
    [InlineData("1. <a href=\"https://arxiv.org/abs/1\">Rho-1</a>", "1. <a href=\"https://arxiv.org/abs/1\" rel=\"noopener noreferrer\" target=\"_blank\">Rho-1</a>")]
    [InlineData("<b>not bold on WeChat</b>", "&lt;b&gt;not bold on WeChat&lt;/b&gt;")]
    [InlineData("R&amp;D & a < b", "R&amp;amp;D &amp; a &lt; b")]
    public void WeChatTextKeepsOnlyLinks(string text, string expected)
    {
        Assert.Equal(expected, PreviewHtml.SanitizeWeChat(text));
    }
}
