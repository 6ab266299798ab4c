using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Xml;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using PaperBot.Core.Data;
using PaperBot.Core.Issues;
using PaperBot.Xml;

namespace PaperBot.Web;

/// <summary>
/// GET (and HEAD) /feed.xml: the published issues as an Atom feed (RFC 4287), newest first, each with its papers; with an
/// ETag, so a reader that already has this feed gets 304 for its If-None-Match.
/// </summary>
public static class AtomFeed
{
    public const int Entries = 20;

    public static IEndpointRouteBuilder MapAtomFeed(this IEndpointRouteBuilder app)
    {
        app.MapMethods("/feed.xml", [HttpMethods.Get, HttpMethods.Head], async (
            HttpContext http, PaperBotDbContext db, IOptions<WebOptions> web, CancellationToken cancellationToken) =>
        {
            var issues = await db.Issues.AsNoTracking().AsSplitQuery()
                .Where(i => i.Status == IssueStatus.Published)
                .OrderByDescending(i => i.PublishedAt).ThenByDescending(i => i.Id)
                .Take(Entries)
                .Include(i => i.Papers.OrderBy(p => p.Number))
                .ToListAsync(cancellationToken);
            return Answer(http, Encoding.UTF8.GetBytes(Write(issues, web.Value.PublicBaseUrl(http.Request))));
        });
        return app;
    }

    // The ETag is taken from the feed's bytes, not from a date: correcting a published issue changes the feed
    // without changing when anything was published.
    private static IResult Answer(HttpContext http, byte[] feed)
    {
        var etag = new EntityTagHeaderValue($"\"{Convert.ToHexStringLower(SHA256.HashData(feed), 0, 16)}\"");
        http.Response.GetTypedHeaders().ETag = etag;
        var known = http.Request.GetTypedHeaders().IfNoneMatch.Any(tag => tag.Equals(EntityTagHeaderValue.Any) || tag.Compare(etag, useStrongComparison: false));
        return known ? Results.StatusCode(StatusCodes.Status304NotModified) : Results.Bytes(feed, "application/atom+xml; charset=utf-8");
    }

    public static string Write(IReadOnlyList<Issue> issues, string baseUrl)
    {
        using var output = new MemoryStream();
        using (var xml = XmlWriter.Create(output, new XmlWriterSettings { Indent = true, Encoding = new UTF8Encoding(false) }))
        {
            const string atom = "http://www.w3.org/2005/Atom";
            xml.WriteStartElement("feed", atom);
            xml.WriteElementString("title", atom, "PaperBot · AI 论文周报");
            xml.WriteElementString("id", atom, $"{baseUrl}/feed.xml");
            Link(xml, atom, $"{baseUrl}/feed.xml", "self");
            Link(xml, atom, $"{baseUrl}/", "alternate");
            xml.WriteElementString("updated", atom, Timestamp(issues.Select(i => i.PublishedAt).Max() ?? DateTimeOffset.UnixEpoch));
            xml.WriteStartElement("author", atom);
            xml.WriteElementString("name", atom, "PaperBot");
            xml.WriteEndElement();

            foreach (var issue in issues)
            {
                var url = $"{baseUrl}/issues/{issue.Id}";
                xml.WriteStartElement("entry", atom);
                xml.WriteElementString("title", atom, XmlChars.WithoutIllegal($"第 {issue.Id} 期 · {issue.Title}"));
                xml.WriteElementString("id", atom, url);
                Link(xml, atom, url, "alternate");
                xml.WriteElementString("updated", atom, Timestamp(issue.PublishedAt ?? issue.ImportedAt));
                xml.WriteElementString("published", atom, Timestamp(issue.PublishedAt ?? issue.ImportedAt));
                xml.WriteStartElement("content", atom);
                xml.WriteAttributeString("type", "html");
                xml.WriteString(XmlChars.WithoutIllegal(ContentHtml(issue, url)));
                xml.WriteEndElement();
                xml.WriteEndElement();
            }

            xml.WriteEndElement();
        }

        return Encoding.UTF8.GetString(output.ToArray());
    }

    private static string ContentHtml(Issue issue, string url)
    {
        var html = new StringBuilder("<ol>");
        foreach (var paper in issue.Papers)
        {
            html.Append(CultureInfo.InvariantCulture, $"<li><a href=\"{WebUtility.HtmlEncode(url)}#paper-{paper.Number}\">{WebUtility.HtmlEncode(paper.Title)}</a>");
            if (paper.PaperUrl is { } paperUrl)
                html.Append(CultureInfo.InvariantCulture, $" · <a href=\"{WebUtility.HtmlEncode(paperUrl)}\">{WebUtility.HtmlEncode(paper.ArxivId ?? "paper")}</a>");
            html.Append("</li>");
        }

        return html.Append("</ol>").ToString();
    }

    private static void Link(XmlWriter xml, string ns, string href, string rel)
    {
        xml.WriteStartElement("link", ns);
        xml.WriteAttributeString("rel", rel);
        xml.WriteAttributeString("href", href);
        xml.WriteEndElement();
    }

    private static string Timestamp(DateTimeOffset at) => at.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
