// The issue as WeChat's 图文 article. Its blocks follow the text digest line by line (see HtmlDigestReader): the
// intro, the contents as consecutive numbered lines, then per paper "N.Title", the summary's paragraphs separated by
// empty paragraphs (WeChat's own blank line, <p><br></p>), the links written out as text ("论文链接: https://…" —
// articles may not link outside WeChat), and a "话题：#…" line of topic labels; the footer last. Exported and
// imported again it gives the same papers.
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Options;
using PaperBot.Core.Issues;
using PaperBot.Core.Topics;
using PaperBot.WeChat;
using static PaperBot.Channels.WeChat.Articles.ArticleHtml;

namespace PaperBot.Channels.WeChat.Articles;

public sealed class ArticleRenderer(TopicCatalog catalog, IOptions<WeChatOptions> options)
{
    // Paragraphs carry no margin in WeChat's reader: spacing is the blank paragraph, as in articles typed in its editor.
    // Styles are kept short: WeChat counts them against the article's 20,000 characters.
    private const string Blank = "<p><br></p>";
    private const string Paragraph = "<p>";

    public const string RootStyle = $"font-size:16px;line-height:1.75;color:{ArticleColors.Text};letter-spacing:0.5px;";

    /// <param name="coverUrl">The cover shown at the top (an image uploaded with media/uploadimg, or the preview's); null = none.</param>
    public string Html(Issue issue, string? coverUrl)
    {
        ArgumentNullException.ThrowIfNull(issue);
        var html = new StringBuilder(16_000);
        html.Append(CultureInfo.InvariantCulture, $"""<section style="{RootStyle}">""");
        if (coverUrl is not null)
            html.Append(CultureInfo.InvariantCulture, $"""<p><img src="{Text(coverUrl)}" alt="{Text(Title(issue))}" style="display:block;width:100%;height:auto;border-radius:6px;"></p>""").Append(Blank);

        html.Append("<section>");
        foreach (var line in issue.Intro.Split('\n'))
            html.Append(line.Trim().Length == 0 ? Blank : $"{Paragraph}{Text(line.Trim())}</p>");
        html.Append("</section>").Append(Blank);

        html.Append(CultureInfo.InvariantCulture, $"""<section style="font-size:15px;background-color:{ArticleColors.Card};border-radius:8px;padding:12px 16px;">""");
        foreach (var paper in issue.Papers.OrderBy(p => p.Number))
            html.Append(CultureInfo.InvariantCulture, $"""<p><strong style="color:{ArticleColors.Accent};">{Number(paper)}.</strong> {Text(paper.Title)}</p>""");
        html.Append("</section>");

        foreach (var paper in issue.Papers.OrderBy(p => p.Number))
            AppendPaper(html, paper);

        var footer = options.Value.Article.Footer.Replace("\\n", "\n", StringComparison.Ordinal).Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (footer.Length > 0)
        {
            html.Append(Blank).Append(CultureInfo.InvariantCulture, $"""<section style="text-align:center;font-size:14px;color:{ArticleColors.Muted};border-top:1px solid {ArticleColors.Rule};padding-top:12px;">""");
            foreach (var line in footer)
                html.Append(CultureInfo.InvariantCulture, $"<p>{Text(line)}</p>");
            html.Append("</section>");
        }

        return html.Append("</section>").ToString();
    }

    /// <summary>The draft's title: the issue's number and title, within WeChat's 32 characters.</summary>
    public static string Title(Issue issue) => Cut($"第{issue.Id}期｜{issue.Title}", WeChatDraftArticle.MaxTitleLength);

    /// <summary>The summary under the title in chats and feeds: the papers' titles, within WeChat's 128 characters.</summary>
    public static string Digest(Issue issue) =>
        Cut($"本期 {issue.Papers.Count} 篇：" + string.Join("；", issue.Papers.OrderBy(p => p.Number).Select(p => p.Title)), WeChatDraftArticle.MaxDigestLength);

    /// <summary>At most <paramref name="max"/> characters (UTF-16 units, as WeChat counts), cut with "…" between whole characters.</summary>
    public static string Cut(string text, int max)
    {
        if (text.Length <= max)
            return text;
        var kept = new StringBuilder();
        foreach (var element in TextElements(text))
        {
            if (kept.Length + element.Length > max - 1)
                break;
            kept.Append(element);
        }

        return kept.Append('…').ToString();
    }

    private void AppendPaper(StringBuilder html, Paper paper)
    {
        html.Append(Blank).Append("<section>");
        html.Append(CultureInfo.InvariantCulture, $"""<h2 style="margin:0;font-size:18px;line-height:1.5;"><span style="color:{ArticleColors.Accent};">{Number(paper)}.</span>{Text(paper.Title)}</h2>""");
        foreach (var paragraph in paper.Summary.Split("\n\n", StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            html.Append(Blank).Append(Paragraph).Append(string.Join("<br>", paragraph.Split('\n').Select(l => Text(l.Trim())))).Append("</p>");

        html.Append(Blank).Append(CultureInfo.InvariantCulture, $"""<section style="font-size:14px;color:{ArticleColors.Muted};word-break:break-all;">""");
        foreach (var (label, url) in Links(paper))
            html.Append(CultureInfo.InvariantCulture, $"<p>{label}: {Text(url)}</p>");

        var topics = catalog.All.Where(t => paper.Topics.Any(p => p.Topic == t.Slug)).ToList();
        if (topics.Count > 0)
        {
            html.Append("""<p style="margin-top:6px;font-size:13px;">话题：""");
            html.AppendJoin(' ', topics.Select(topic => $"""<span style="padding:0 6px;border-radius:8px;background-color:{ArticleColors.Label};color:{ArticleColors.Accent};">#{Text(topic.Names.Zh)}</span>"""));
            html.Append("</p>");
        }

        html.Append("</section>");

        html.Append("</section>");
    }

    /// <summary>The labels the text digest uses, so that an exported article reads back (see LinkLabels).</summary>
    private static IEnumerable<(string Label, string Url)> Links(Paper paper)
    {
        if (paper.PaperUrl is { } paperUrl)
            yield return ("论文链接", paperUrl);
        if (paper.CodeUrl is { } code)
            yield return (code.Contains("github", StringComparison.OrdinalIgnoreCase) ? "Github 地址" : "代码地址", code);
        if (paper.ProjectUrl is { } project)
            yield return ("项目地址", project);
    }

    private static string Number(Paper paper) => paper.Number.ToString(CultureInfo.InvariantCulture);

    private static IEnumerable<string> TextElements(string text)
    {
        var elements = StringInfo.GetTextElementEnumerator(text);
        while (elements.MoveNext())
            yield return elements.GetTextElement();
    }
}
