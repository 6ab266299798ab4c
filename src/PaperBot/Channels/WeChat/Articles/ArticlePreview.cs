using System.Net;
using PaperBot.Core.Issues;

namespace PaperBot.Channels.WeChat.Articles;

/// <summary>
/// The article as a phone shows it in WeChat's reader: the title, the author line, then the article, at 390 px, in the
/// light or the dark reading (<see cref="DarkReading"/>). The page around the article is ours; the article is exactly
/// what goes to WeChat.
/// </summary>
public static class ArticlePreview
{
    public static string Page(Issue issue, string articleHtml, string author, bool dark)
    {
        var (page, title, meta) = dark ? ("#191919", "rgba(255,255,255,0.8)", "rgba(255,255,255,0.5)") : ("#ffffff", "#191919", "#576b95");
        var body = dark ? DarkReading.Apply(articleHtml) : articleHtml;
        var byline = author.Length > 0 ? $"{WebUtility.HtmlEncode(author)} · PaperBot" : "PaperBot";
        return $$"""
            <!DOCTYPE html>
            <html lang="zh-CN">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{{WebUtility.HtmlEncode(ArticleRenderer.Title(issue))}}</title>
            <style>
              html, body { margin: 0; background: {{page}}; }
              body { font-family: -apple-system, "PingFang SC", "Noto Sans CJK SC", "Helvetica Neue", sans-serif; color: {{title}}; -webkit-text-size-adjust: 100%; }
              .reader { max-width: 390px; margin: 0 auto; padding: 20px 16px 40px; box-sizing: border-box; }
              .reader h1 { font-size: 22px; line-height: 1.4; margin: 0 0 14px; font-weight: 500; color: {{title}}; }
              .reader .meta { font-size: 15px; color: {{meta}}; margin: 0 0 22px; }
              .content { overflow-wrap: break-word; }
              .content p { margin: 0; }
              .content img { max-width: 100%; }
            </style>
            </head>
            <body>
            <div class="reader">
              <h1>{{WebUtility.HtmlEncode(ArticleRenderer.Title(issue))}}</h1>
              <p class="meta">{{byline}}</p>
              <div class="content">{{body}}</div>
            </div>
            </body>
            </html>
            """;
    }
}
