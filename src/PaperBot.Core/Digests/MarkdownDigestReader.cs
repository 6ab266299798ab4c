using System.Text.RegularExpressions;

namespace PaperBot.Core.Digests;

/// <summary>
/// Reads a Markdown digest:
/// <code>
/// # Title                              optional; else the first intro line is the title
/// intro paragraphs
/// 1. Title                             table of contents: a numbered list before the first section (optional)
/// ## 1. Title                          a section: "## N. ", "### N. " or "## N、"
/// summary paragraphs
/// - [论文](https://…) · [代码](https://…)   link lines: [论文]/[Paper]/[论文链接], [代码]/[Code]/[GitHub],
///                                       [项目]/[项目主页]/[Project]; text labels (论文链接: url) work too
/// </code>
/// Other headings, footer lines (<c>|…|</c>) and text after a section's links end its content.
/// </summary>
internal static partial class MarkdownDigestReader
{
    // Patterns end in ".*$" and the code trims: a lazy ".*?\s*$" is quadratic on long runs of spaces.
    [GeneratedRegex(@"^#\s+(?<title>\S.*)$")]
    private static partial Regex TitleHeading();

    [GeneratedRegex(@"^#{2,3}\s+(?<number>\d{1,3})\s*(?:\.(?!\d)|[、\uFF0E])\s*(?<title>\S.*)$")]
    private static partial Regex SectionHeading();

    [GeneratedRegex(@"^\s{0,3}#{1,6}(?:\s|$)")]
    private static partial Regex AnyHeading();

    [GeneratedRegex(@"^\s*(?:[-*+]\s+)?(?<number>\d{1,3})\s*(?:\.(?!\d)|[、\uFF0E])\s*(?<title>\S.*)$")]
    private static partial Regex ListItem();

    [GeneratedRegex(@"^\[(?<text>[^\[\]]+)\]\([^()]*\)$")]
    private static partial Regex WholeLink();

    [GeneratedRegex(@"\[(?<label>[^\[\]]+)\]\((?<url>[^()\s]*)(?:\s+""[^""]*"")?\)")]
    private static partial Regex InlineLink();

    [GeneratedRegex(@"^\s*(?:[-*_]\s*){3,}$")]
    private static partial Regex ThematicBreak();

    private sealed record Heading(int Index, int Number, string Title);

    public static DigestParseResult Read(IReadOnlyList<string> lines)
    {
        var errors = new List<DigestError>();
        var headings = new List<Heading>();
        for (var i = 0; i < lines.Count; i++)
        {
            var match = SectionHeading().Match(lines[i]);
            if (match.Success)
            {
                headings.Add(new Heading(i, ParseNumber(match), HeadingText(match.Groups["title"].Value)));
            }
        }

        var firstSection = headings.Count > 0 ? headings[0].Index : lines.Count;
        var (title, intro, toc) = ReadFrontMatter(lines, firstSection);
        if (toc is null && headings.Count == 0)
        {
            return DigestAssembler.Failed(0, "no sections were found; expected headings such as '## 1. Title'");
        }

        var papers = new List<DraftPaper>();
        for (var k = 0; k < headings.Count; k++)
        {
            var end = k + 1 < headings.Count ? headings[k + 1].Index : lines.Count;
            papers.Add(ReadSection(lines, headings[k], end, errors));
        }

        return DigestAssembler.Assemble(title ?? DigestAssembler.TitleFromIntro(intro), intro, toc, papers, errors, "section");
    }

    /// <summary>A heading's text without an optional closing sequence of hashes ("## 1. Title ##").</summary>
    private static string HeadingText(string text)
    {
        var trimmed = text.TrimEnd();
        var end = trimmed.Length;
        while (end > 0 && trimmed[end - 1] == '#')
        {
            end--;
        }

        return end < trimmed.Length && end > 0 && char.IsWhiteSpace(trimmed[end - 1]) ? trimmed[..end].TrimEnd() : trimmed;
    }

    private static int ParseNumber(Match match) => DigestLines.Number(match.Groups["number"].Value);

    /// <summary>Everything before the first section: the # title, the intro and the table of contents.</summary>
    private static (string? Title, string Intro, List<TocEntry>? Toc) ReadFrontMatter(IReadOnlyList<string> lines, int end)
    {
        string? title = null;
        List<TocEntry>? toc = null;
        var tocOpen = false;
        var intro = new List<string>();
        for (var i = 0; i < end; i++)
        {
            var line = lines[i];
            if (title is null && TitleHeading().Match(line) is { Success: true } heading)
            {
                title = HeadingText(heading.Groups["title"].Value);
                continue;
            }

            if (AnyHeading().IsMatch(line) || ThematicBreak().IsMatch(line))
            {
                tocOpen = false;
                continue;
            }

            var item = ListItem().Match(line);
            if (item.Success && (toc is null || tocOpen))
            {
                toc ??= [];
                tocOpen = true;
                var itemTitle = item.Groups["title"].Value.TrimEnd();
                var link = WholeLink().Match(itemTitle);
                toc.Add(new TocEntry(ParseNumber(item), link.Success ? link.Groups["text"].Value.Trim() : itemTitle, i + 1));
                continue;
            }

            // A loose list (blank lines between items) is still one table of contents.
            if (!DigestLines.IsBlank(line))
            {
                tocOpen = false;
                intro.Add(line);
            }
            else if (!tocOpen)
            {
                intro.Add(line);
            }
        }

        return (title, DigestLines.Intro(intro), toc);
    }

    private static DraftPaper ReadSection(IReadOnlyList<string> lines, Heading heading, int end, List<DigestError> errors)
    {
        var summary = new ParagraphBuilder();
        var links = new LinkSet();
        var inLinks = false;
        for (var i = heading.Index + 1; i < end; i++)
        {
            var line = lines[i];
            if (DigestLines.IsFooter(line) || AnyHeading().IsMatch(line))
            {
                break;
            }

            if (ThematicBreak().IsMatch(line))
            {
                summary.EndParagraph();
            }
            else if (ReadLinkLine(line, i + 1, links, errors))
            {
                inLinks = true;
            }
            else if (LinkLabels.ParseTextLabel(line) is { } label)
            {
                inLinks = true;
                i = DigestLines.ReadLabelledLink(lines, i, end, label, links, errors);
            }
            else if (!inLinks)
            {
                summary.AddLine(line);
            }
        }

        return new DraftPaper(heading.Number, heading.Title, summary.ToString(), links.ToPaperLinks(), heading.Index + 1);
    }

    /// <summary>
    /// A link line holds at least one link with a known label and, apart from links, only
    /// separators (<c>-</c>, <c>·</c>, <c>|</c>…). A sentence with an inline link is summary text.
    /// Links with other labels on a link line (<c>[Demo](…)</c>) are ignored: there is nowhere to keep them.
    /// </summary>
    private static bool ReadLinkLine(string line, int lineNumber, LinkSet links, List<DigestError> errors)
    {
        var matches = InlineLink().Matches(line);
        if (matches.Count == 0
            || InlineLink().Replace(line, string.Empty).Any(char.IsLetterOrDigit)
            || !matches.Any(m => LinkLabels.KindOfMarkdownLabel(m.Groups["label"].Value) is not null))
        {
            return false;
        }

        foreach (Match match in matches)
        {
            if (LinkLabels.KindOfMarkdownLabel(match.Groups["label"].Value) is not { } kind)
            {
                continue;
            }

            var label = match.Groups["label"].Value.Trim();
            var url = match.Groups["url"].Value;
            if (url.Length == 0)
            {
                errors.Add(new DigestError(lineNumber, $"link label '{label}' has no URL"));
            }
            else if (!LinkLabels.IsHttpUrl(url))
            {
                errors.Add(new DigestError(lineNumber, $"link label '{label}' has '{url}', which is not an http(s) URL"));
            }
            else
            {
                links.Add(kind, url);
            }
        }

        return true;
    }
}
