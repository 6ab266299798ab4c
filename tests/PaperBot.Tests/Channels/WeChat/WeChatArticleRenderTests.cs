using System.Text;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using Microsoft.Extensions.DependencyInjection;
using PaperBot.Channels.WeChat.Articles;
using PaperBot.Core.Digests;
using PaperBot.Core.Issues;
using PaperBot.TestServices;
using PaperBot.Tests.Browser;
using SkiaSharp;

namespace PaperBot.Tests.Channels.WeChat;

// The sample issue as WeChat's article: what it keeps, what a reader sees in light and dark reading, and that it reads back.
public sealed class WeChatArticleRenderTests
{
    private static readonly string[] SampleTitles =
    [
        "超越 Transformer:Google DeepMind 提出高效开放语言模型",
        "仅用 10 万美元!MIT 训了一个 Llama2 级的大模型",
        "英伟达推出音频、音乐理解对话数据集 Audio Dialogues",
        "微软、厦大、清华提出 Rho-1:不是所有 token 都是你需要的",
        "UC 伯克利提出 LLoCO:离线学习长上下文",
        "BRAVE:让视觉语言模型不再“视而不见”",
        "谷歌提出无限上下文 Transformer",
        "华为新研究:用自主学习改进语言模型推理",
        "微软、上交大推出 CoVoMix:实现多个对话者的多轮对话",
        "Transformer 的可解释性会转移到 RNN 吗?",
        "苹果新研究 Ferret-UI:基于多模态 LLM 的移动 UI 理解",
        "CT-LLM:仅 20 亿参数,基于中文的大型语言模型",
        "Concept Weaver:在文本到图像模型中实现多概念融合",
        "微软研究院:让语言模型利用一般偏好进行自我改进",
    ];

    private static readonly string[] SampleLinks =
    [
        "论文链接: https://arxiv.org/abs/2404.07839",
        "论文链接: https://arxiv.org/abs/2404.07413",
        "Github 地址: https://github.com/myshell-ai/JetMoE",
        "论文链接: https://arxiv.org/abs/2404.07616",
        "Github 地址: https://audiodialogues.github.io/",
        "论文链接: https://arxiv.org/abs/2404.07965",
        "Github 地址: https://github.com/microsoft/rho",
        "论文链接: https://arxiv.org/abs/2404.07979",
        "论文链接: https://arxiv.org/abs/2404.07204",
        "项目地址: https://brave-vlms.epfl.ch/",
        "论文链接: https://arxiv.org/abs/2404.07143",
        "论文链接: https://arxiv.org/abs/2404.07017",
        "论文链接: https://arxiv.org/abs/2404.06690",
        "论文链接: https://arxiv.org/abs/2404.05971",
        "论文链接: https://arxiv.org/abs/2404.05719",
        "论文链接: https://arxiv.org/abs/2404.04167",
        "论文链接: https://arxiv.org/abs/2404.03913",
        "论文链接: https://arxiv.org/abs/2404.03715",
    ];

    [Fact]
    public async Task TheSampleArticleKeepsEveryPaperWithItsTitleAndLinksWrittenAsText()
    {
        using var app = NewApp();
        var html = await RenderSampleAsync(app, "https://mmbiz.qpic.cn/mmbiz_png/cover/0");
        var document = Parse(html);

        var headings = document.QuerySelectorAll("h2").Select(h => h.TextContent).ToList();
        Assert.Equal(SampleTitles.Select((title, i) => $"{i + 1}.{title}"), headings);
        var contents = document.QuerySelectorAll("section > p > strong").Select(s => s.ParentElement!.TextContent).ToList();
        Assert.Equal(SampleTitles.Select((title, i) => $"{i + 1}. {title}"), contents);
        var links = document.QuerySelectorAll("p").Select(p => p.TextContent)
            .Where(t => t.StartsWith("论文链接", StringComparison.Ordinal) || t.StartsWith("Github", StringComparison.Ordinal) || t.StartsWith("项目地址", StringComparison.Ordinal))
            .ToList();
        Assert.Equal(SampleLinks, links);
        Assert.Empty(document.QuerySelectorAll("a"));
        Assert.Equal("https://mmbiz.qpic.cn/mmbiz_png/cover/0", Assert.Single(document.QuerySelectorAll("img")).GetAttribute("src"));
        Assert.StartsWith("本周值得关注的大模型 / AIGC 前沿研究:", document.Body!.TextContent, StringComparison.Ordinal);
        Assert.Contains("话题：#模型架构 #训练与推理效率 #开源模型", document.QuerySelectorAll("p").Select(p => p.TextContent));
    }

    [Fact]
    public void TheAllowedListIsWhatWeChatsEditorKeeps()
    {
        Assert.Equal(
            ["blockquote", "br", "em", "h1", "h2", "h3", "h4", "hr", "img", "li", "ol", "p", "section", "span", "strong", "ul"],
            ArticleHtml.AllowedTags.Order(StringComparer.Ordinal));
        Assert.True(ArticleHtml.IsAllowed("p", "style"));
        Assert.True(ArticleHtml.IsAllowed("img", "src"));
        Assert.False(ArticleHtml.IsAllowed("p", "class"));
        Assert.False(ArticleHtml.IsAllowed("section", "id"));
        Assert.False(ArticleHtml.IsAllowed("span", "src"));
    }

    [Fact]
    public async Task TheArticleUsesNothingWeChatsEditorStrips()
    {
        using var app = NewApp(new Dictionary<string, string?> { ["WeChat:Article:Footer"] = "点击关注我 👇 记得标星\\n每周一更新" });
        var document = Parse(await RenderSampleAsync(app, "https://mmbiz.qpic.cn/mmbiz_png/cover/0"));

        var elements = document.Body!.QuerySelectorAll("*").ToList();
        Assert.True(elements.Count > 300, $"only {elements.Count} elements rendered");
        Assert.Empty(elements.Where(e => !ArticleHtml.AllowedTags.Contains(e.LocalName)).Select(e => e.LocalName));
        Assert.Empty(elements.SelectMany(e => e.Attributes.Where(a => !ArticleHtml.IsAllowed(e.LocalName, a.Name)).Select(a => $"{e.LocalName}[{a.Name}]")));
        Assert.DoesNotContain("url(", document.Body.InnerHtml, StringComparison.Ordinal);
        var sections = document.QuerySelectorAll("section");
        Assert.Equal(["点击关注我 👇 记得标星", "每周一更新"], sections[^1].Children.Select(p => p.TextContent));
    }

    [Fact]
    public async Task EveryTextKeepsAContrastOfAtLeast4Point5InLightAndInWeChatsDarkReading()
    {
        using var app = NewApp();
        var light = await RenderSampleAsync(app, coverUrl: null);
        var dark = DarkReading.Apply(light);

        var lightPairs = TextColours(Parse(light), ArticleColors.LightPage);
        var darkPairs = TextColours(Parse(dark), ArticleColors.DarkPage);

        Assert.Equal(lightPairs.Count, darkPairs.Count);
        Assert.True(lightPairs.Count > 150, $"only {lightPairs.Count} texts");
        Assert.Empty(lightPairs.Where(p => Rgb.Contrast(p.Text, p.Background) < 4.5).Select(p => $"light {p.Text} on {p.Background}: {p.Sample}"));
        Assert.Empty(darkPairs.Where(p => Rgb.Contrast(p.Text, p.Background) < 4.5).Select(p => $"dark {p.Text} on {p.Background}: {p.Sample}"));
        // Dark reading changes the colours, it does not leave dark text on the dark page.
        Assert.Contains("color:#a3a3a3", dark, StringComparison.Ordinal);
        Assert.DoesNotContain("color:#333333", dark, StringComparison.Ordinal);
    }

    [Fact]
    public void WeChatsDarkReadingInvertsNeutralBackgroundsAndLiftsDarkText()
    {
        Assert.Equal("#232323", DarkReading.Background(Rgb.Parse("#f5f5f5")).ToString());
        Assert.Equal("#a3a3a3", DarkReading.Text(Rgb.Parse("#333333"), ArticleColors.DarkPage).ToString());
        Assert.Equal("#ffffff", DarkReading.Text(Rgb.Parse("#ffffff"), ArticleColors.DarkPage).ToString());
    }

    [Fact]
    public async Task TheSampleExportedAsHtmlAndImportedBackGivesTheSame14Papers()
    {
        using var app = NewApp();
        var html = await RenderSampleAsync(app, "https://mmbiz.qpic.cn/mmbiz_png/cover/0");
        var text = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "samples", "digest-sample.txt"));

        var fromText = DigestParser.Parse(text).Digest!;
        var fromHtml = DigestParser.Parse($"<html><body>{html}</body></html>");

        Assert.Empty(fromHtml.Errors);
        var papers = fromHtml.Digest!.Papers;
        Assert.Equal(14, papers.Count);
        Assert.Equal(SampleTitles, papers.Select(p => p.Title));
        Assert.Equal("https://github.com/myshell-ai/JetMoE", papers[1].Links.Code);
        Assert.Equal("https://brave-vlms.epfl.ch/", papers[5].Links.Project);
        Assert.Equal(fromText.Papers.Select(p => (p.Number, p.Title, p.Summary, p.Links)), papers.Select(p => (p.Number, p.Title, p.Summary, p.Links)));
        Assert.Equal("本周值得关注的大模型 / AIGC 前沿研究", fromHtml.Digest.Title);
        Assert.Equal(fromText.ContentHash, fromHtml.Digest.ContentHash);
        Assert.Equal(["模型架构", "训练与推理效率", "开源模型"], papers[0].Topics);
    }

    // The shape of a page saved from mp.weixin.qq.com: the article in #js_content, the account's furniture around it.
    private const string SavedPage = """
        <html><head><title>第 9 期</title><script>var biz = "MzA3";</script></head>
        <body>
        <div id="js_article"><h1 class="rich_media_title">第 9 期</h1><span id="js_name">PaperBot</span>
        <div class="rich_media_content" id="js_content" style="visibility: hidden;">
        <p style="display:none;"><mp-style-type data-value="3"></mp-style-type></p>
        <section><span leaf="">本周值得关注的研究：</span></section>
        <ol><li>长上下文新方法</li><li>多模态对齐</li></ol>
        <p><br></p>
        <section><span leaf="">1.长上下文新方法</span></section>
        <p><br></p>
        <p>一种把上下文扩展到百万 token 的办法。</p>
        <p><br></p>
        <p>论文链接：<span>https://arxiv.org/abs/2404.00001</span></p>
        <p><br></p>
        <section><span leaf="">2.多模态对齐</span></section>
        <p><br></p>
        <p>图文对齐的新数据集，<br>附带评测。</p>
        <p><br></p>
        <p>论文链接：https://arxiv.org/abs/2404.00002</p>
        <p>|点击关注我 👇 记得标星|</p>
        </div></div>
        <div id="js_pc_qr_code">微信扫一扫关注该公众号</div>
        </body></html>
        """;

    [Fact]
    public void APublishedArticlePageIsReadFromItsContentAloneAndItsHiddenPartsAreSkipped()
    {

        var parsed = DigestParser.Parse(SavedPage);

        Assert.Empty(parsed.Errors);
        var digest = parsed.Digest!;
        Assert.Equal("本周值得关注的研究", digest.Title);
        Assert.Equal(["长上下文新方法", "多模态对齐"], digest.Papers.Select(p => p.Title));
        Assert.Equal("图文对齐的新数据集,附带评测。", digest.Papers[1].Summary.Replace('，', ','));
        Assert.Equal("https://arxiv.org/abs/2404.00002", digest.Papers[1].Links.Paper);
    }

    // docs/admin.md: a WeChat article's HTML may be 8 MB, where text, Markdown and JSON may be 1 MB: a page saved from
    // the platform carries its scripts and styles around the article.
    [Fact]
    public void ASavedArticlePageOfEightMegabytesIsReadAndOneByteMoreIsRefusedSayingSo()
    {
        var eightMegabytes = 8 * 1024 * 1024;
        string PaddedTo(int bytes) => SavedPage.Replace("</head>", "<style>/*" + new string(' ', bytes - Encoding.UTF8.GetByteCount(SavedPage) - "<style>/**/</style>".Length) + "*/</style></head>", StringComparison.Ordinal);

        var atTheLimit = DigestParser.Parse(PaddedTo(eightMegabytes));
        var over = DigestParser.Parse(PaddedTo(eightMegabytes + 1));

        Assert.Empty(atTheLimit.Errors);
        Assert.Equal(["长上下文新方法", "多模态对齐"], atTheLimit.Digest!.Papers.Select(p => p.Title));
        Assert.Null(over.Digest);
        Assert.Equal("the input is larger than 8 MB (8388608 bytes), the most a digest in this format may be", Assert.Single(over.Errors).Message);
    }

    [SkippableFact]
    public async Task TheGeneratedCoverIs900By383WithTheIssueAndItsFirstTitlesInNotoSansCjk()
    {
        Requirements.CjkFont();
        using var app = NewApp();
        var issue = await SampleAsync(app);

        var cover = app.Services.GetRequiredService<ArticleCover>().For(issue);

        Assert.Equal("image/png", cover.ContentType);
        using var bitmap = SKBitmap.Decode(cover.Content);
        Assert.Equal(900, bitmap.Width);
        Assert.Equal(383, bitmap.Height);
        using (var face = SKTypeface.FromFile(Requirements.CjkFontPath, 2))
        using (var font = new SKFont(face))
        {
            Assert.Equal("Noto Sans CJK SC", face.FamilyName);
            Assert.True(font.ContainsGlyphs("第期超越仅用英伟达推出音频"), "the font has glyphs for the cover's Chinese");
        }

        await Screenshots.SaveAsync("article-cover.png", cover.Content);
        Assert.Equal(cover.Fingerprint, app.Services.GetRequiredService<ArticleCover>().For(issue).Fingerprint);
    }

    internal static PaperBotApp NewApp(Dictionary<string, string?>? settings = null) => new(settings);

    internal static async Task<Issue> SampleAsync(PaperBotApp app)
    {
        Issue? issue = null;
        await Eventually.AssertAsync(async () =>
        {
            await using var scope = app.Services.CreateAsyncScope();
            issue = await scope.ServiceProvider.GetRequiredService<IssueReader>().FindAsync(1, includeUnpublished: true, CancellationToken.None);
            return issue is not null;
        }, "the sample issue");
        return issue!;
    }

    private static async Task<string> RenderSampleAsync(PaperBotApp app, string? coverUrl) =>
        app.Services.GetRequiredService<ArticleRenderer>().Html(await SampleAsync(app), coverUrl);

    private static IDocument Parse(string html) => new HtmlParser().ParseDocument($"<html><body>{html}</body></html>");

    private sealed record TextColour(Rgb Text, Rgb Background, string Sample);

    /// <summary>Every element with text of its own, with the colour and the background it is read in.</summary>
    private static List<TextColour> TextColours(IDocument document, Rgb page)
    {
        var pairs = new List<TextColour>();
        void Walk(IElement element, Rgb color, Rgb background)
        {
            var style = element.GetAttribute("style");
            color = DarkReading.Declared(style, "color") ?? color;
            background = DarkReading.Declared(style, "background-color") ?? background;
            var own = string.Concat(element.ChildNodes.OfType<IText>().Select(t => t.Data)).Trim();
            if (own.Length > 0)
                pairs.Add(new TextColour(color, background, own.Length > 20 ? own[..20] : own));
            foreach (var child in element.Children)
                Walk(child, color, background);
        }

        Walk(document.Body!, page == ArticleColors.DarkPage ? ArticleColors.DarkDefaultText : Rgb.Parse("#191919"), page);
        return pairs;
    }
}
