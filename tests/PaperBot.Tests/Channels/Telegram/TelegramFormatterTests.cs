using System.Text;
using PaperBot.Channels.Telegram;
using PaperBot.Core.Commands;
using PaperBot.Core.Topics;

namespace PaperBot.Tests.Channels.Telegram;

public sealed class TelegramFormatterTests
{
    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("a < b && c > d", "a &lt; b &amp;&amp; c &gt; d")]
    [InlineData("&amp; stays literal", "&amp;amp; stays literal")]
    [InlineData("<b>not bold</b>", "&lt;b&gt;not bold&lt;/b&gt;")]
    [InlineData("\"quotes\" and 'apostrophes'", "\"quotes\" and 'apostrophes'")]
    [InlineData("长上下文 🚀", "长上下文 🚀")]
    public void TextIsEscapedForHtml(string text, string html) =>
        Assert.Equal(html, TelegramFormatter.Render(new Span(text)));

    [Theory]
    [InlineData("Rho-1 <SLM>", SpanStyle.Bold, null, "<b>Rho-1 &lt;SLM&gt;</b>")]
    [InlineData("arXiv 2404.07965", SpanStyle.Link, "https://arxiv.org/abs/2404.07965", "<a href=\"https://arxiv.org/abs/2404.07965\">arXiv 2404.07965</a>")]
    [InlineData("code", SpanStyle.Link, "https://example.com/?a=1&b=\"2\"<x>", "<a href=\"https://example.com/?a=1&amp;b=&quot;2&quot;&lt;x&gt;\">code</a>")]
    [InlineData("not a link", SpanStyle.Link, "javascript:alert(1)", "not a link javascript:alert(1)")]
    [InlineData("https://a.example/", SpanStyle.Link, "ftp://a.example/", "https://a.example/ ftp://a.example/")]
    public void SpansBecomeTelegramTags(string text, SpanStyle style, string? url, string html) =>
        Assert.Equal(html, TelegramFormatter.Render(new Span(text, style, url)));

    [Fact]
    public void EveryRenderedSpanParsesAsTelegramHtml()
    {
        var nasty = "<a href=\"x\">&amp;</a> & < > \" ' 🚀 𝔘 \u200d";
        foreach (var style in Enum.GetValues<SpanStyle>())
        {
            var html = TelegramFormatter.Render(new Span(nasty, style, "https://example.com/?q=" + nasty));
            Assert.Null(FakeHtml.Parse(html).Error);
            Assert.StartsWith(nasty, FakeHtml.Parse(html).Plain, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void AShortMessageIsOnePartWithItsKeyboardAndNoPreview()
    {
        var message = new MessageBuilder().Bold("Title").EndLine().BlankLine().Line("Body")
            .ButtonRow(Button.Link("📄 Paper", "https://arxiv.org/abs/1"), Button.Action("5 ▶", "n:1:5")).Build();

        var part = Assert.Single(TelegramFormatter.Format(message));

        Assert.Equal("<b>Title</b>\n\nBody", part.Html);
        Assert.True(part.LinkPreview!.IsDisabled);
        var buttons = part.Keyboard!.InlineKeyboard.SelectMany(r => r).ToList();
        Assert.Equal("https://arxiv.org/abs/1", buttons[0].Url);
        Assert.Equal("n:1:5", buttons[1].CallbackData);
    }

    [Fact]
    public void LinkPreviewStaysOnWhenTheMessageAsksForIt()
    {
        var message = ReplyMessage.Text("https://arxiv.org/abs/2404.07965") with { LinkPreview = true };
        Assert.Null(Assert.Single(TelegramFormatter.Format(message)).LinkPreview);
    }

    [Fact]
    public void UrlButtonsThatAreNotHttpAreDropped()
    {
        var message = new MessageBuilder().Line("x").ButtonRow(Button.Link("bad", "javascript:alert(1)"), Button.Link("good", "https://a.example/")).Build();
        var buttons = Assert.Single(TelegramFormatter.Format(message)).Keyboard!.InlineKeyboard.SelectMany(r => r).ToList();
        Assert.Equal(["good"], buttons.Select(b => b.Text));
    }

    [Theory]
    [InlineData("a", 62, true)]
    [InlineData("a", 63, false)]
    [InlineData("长", 20, true)]
    [InlineData("长", 21, false)]
    [InlineData("🚀", 15, true)]
    [InlineData("🚀", 16, false)]
    public void CallbackDataMustFitIn64Utf8Bytes(string character, int count, bool fits)
    {
        var data = "t:" + string.Concat(Enumerable.Repeat(character, count));
        var message = new MessageBuilder().Line("x").ButtonRow(Button.Action("b", data)).Build();

        if (fits)
            Assert.Equal(data, Assert.Single(TelegramFormatter.Format(message)).Keyboard!.InlineKeyboard.Single().Single().CallbackData);
        else
            Assert.Throws<ArgumentException>(() => TelegramFormatter.Format(message));
    }

    [Fact]
    public void EveryTopicToggleOfTheCatalogFitsInCallbackData()
    {
        var catalog = TopicCatalog.Load(Path.Combine(AppContext.BaseDirectory, "config", "topics.json"));
        Assert.NotEmpty(catalog.All);
        Assert.All(catalog.All, t => Assert.InRange(Encoding.UTF8.GetByteCount(ButtonData.ToggleTopic(t.Slug)), 1, 64));
    }

    /// <summary>Each case: paragraphs (lines of plain text; "" = blank line), the limit, and the expected parts' lengths or texts.</summary>
    public static TheoryData<string[], int, string[]> Splits => new()
    {
        { ["aaaa", "", "bbbb", "", "cccc"], 10, ["aaaa\n\nbbbb", "cccc"] },
        { ["aaaa", "", "bbbb", "", "cccc"], 100, ["aaaa\n\nbbbb\n\ncccc"] },
        { ["aaaa", "bbbb", "cccc", "", "dd"], 10, ["aaaa\nbbbb", "cccc\n\ndd"] },
        { ["aaaaaaaaaaaaaaa"], 10, ["aaaaaaaaaa", "aaaaa"] },
        { ["a&b&c&d&e&f"], 10, ["a&amp;b", "&amp;c", "&amp;d", "&amp;e", "&amp;f"] },
        { ["🚀🚀🚀🚀🚀🚀"], 5, ["🚀🚀", "🚀🚀", "🚀🚀"] },
        { ["", "", "x", "", "", ""], 10, ["x"] },
    };

    [Theory]
    [MemberData(nameof(Splits))]
    public void LongMessagesSplitAtParagraphsThenLinesThenCharacters(string[] lines, int limit, string[] expected)
    {
        var message = ReplyMessage.Text(string.Join("\n", lines));

        var parts = TelegramFormatter.Format(message, limit).Select(p => p.Html).ToArray();

        Assert.Equal(expected, parts);
    }

    [Fact]
    public void ABoldLineSplitAcrossPartsClosesAndReopensItsTag()
    {
        var message = new MessageBuilder().Bold(new string('x', 25)).EndLine().Build();

        var parts = TelegramFormatter.Format(message, 16).Select(p => p.Html).ToList();

        Assert.All(parts, p => Assert.InRange(p.Length, 1, 16));
        Assert.All(parts, p => Assert.Null(FakeHtml.Parse(p).Error));
        Assert.Equal(new string('x', 25), string.Concat(parts.Select(p => FakeHtml.Parse(p).Plain)));
    }

    [Fact]
    public void AHugeCardSplitsUnder4096WithTheKeyboardOnTheLastPart()
    {
        var builder = new MessageBuilder().Bold("<Title> & more").EndLine().BlankLine();
        for (var i = 0; i < 40; i++)
            builder.Line(string.Concat(Enumerable.Repeat($"段落 {i} 含 <标签> & \"引号\" 与 emoji 🚀。", 12))).BlankLine();
        builder.Line(new string('长', 9000));
        builder.Link("arXiv 2404.07965", "https://arxiv.org/abs/2404.07965?a=1&b=2").EndLine();
        builder.ButtonRow(Button.Action("5 ▶", "n:1:5"));

        var parts = TelegramFormatter.Format(builder.Build());

        Assert.True(parts.Count > 3);
        Assert.All(parts, p => Assert.InRange(p.Html.Length, 1, TelegramFormatter.MaxLength));
        Assert.All(parts, p => Assert.Null(FakeHtml.Parse(p.Html).Error));
        Assert.All(parts.SkipLast(1), p => Assert.Null(p.Keyboard));
        Assert.NotNull(parts[^1].Keyboard);
        Assert.All(parts, p => Assert.True(p.LinkPreview!.IsDisabled));
        Assert.All(parts, p => Assert.False(char.IsLowSurrogate(p.Html[0])));
    }

    [Fact]
    public void AnEmptyMessageSendsNothing() =>
        Assert.Empty(TelegramFormatter.Format(new MessageBuilder().BlankLine().Build()));
}
