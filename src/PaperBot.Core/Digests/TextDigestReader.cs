using System.Text.RegularExpressions;

namespace PaperBot.Core.Digests;

/// <summary>
/// Reads the plain-text digest our account publishes (see samples/digest-sample.txt):
/// <code>
/// intro line(s)                      the first line, without a trailing colon, is the title
///   1. Title                         table of contents: contiguous numbered lines (optional)
///   2. Title
///
/// 1.Title                            a section starts with "N.", "N. " or "N、" after a blank line;
/// title continued                    the title continues until the next blank line
///
/// summary paragraph                  paragraphs until the first link label
///
/// 论文链接:                           link labels, the URL on the same or the next non-empty line
/// https://arxiv.org/abs/2404.07839
/// 话题: 长上下文 · 推理               the paper's topics by name or slug (optional; else the tagger's)
///
/// |点击关注我 👇 记得标星|            footer, dropped (so is any other text after the links)
/// </code>
/// </summary>
internal static partial class TextDigestReader
{
    // "2.5 倍" is not a section: a dot directly followed by a digit is a decimal point.
    // Patterns end in ".*$" and callers trim: a lazy ".*?\s*$" is quadratic on long runs of spaces.
    [GeneratedRegex(@"^\s*(?<number>\d{1,3})\s*(?:\.(?!\d)|[、\uFF0E])\s*(?<title>\S.*)$")]
    private static partial Regex NumberedLine();

    [GeneratedRegex(@"^\s*话题\s*[:\uFF1A]\s*(?<topics>\S.*)$")]
    private static partial Regex TopicLine();

    private static readonly char[] TopicSeparators = ['·', '、', ',', '\uFF0C', '/', '|', '#'];

    private sealed record Numbered(int Index, int Number, string Title);

    public static DigestParseResult Read(IReadOnlyList<string> lines)
    {
        var errors = new List<DigestError>();
        var (toc, tocStart, tocEnd) = FindTableOfContents(lines);
        var headers = FindSectionHeaders(lines, toc is null ? 0 : tocEnd);
        if (toc is null && headers.Count == 0)
        {
            return DigestAssembler.Failed(0, "no sections were found; expected numbered section lines such as '1.Title'");
        }

        var introEnd = toc is not null ? tocStart : headers[0].Index;
        var intro = DigestLines.Intro(lines.Take(introEnd));

        var papers = new List<DraftPaper>();
        for (var k = 0; k < headers.Count; k++)
        {
            var end = k + 1 < headers.Count ? headers[k + 1].Index : lines.Count;
            papers.Add(ReadSection(lines, headers[k], end, errors));
        }

        var tocEntries = toc?.Select(e => new TocEntry(e.Number, e.Title, e.Index + 1)).ToList();
        return DigestAssembler.Assemble(DigestAssembler.TitleFromIntro(intro), intro, tocEntries, papers, errors, "section");
    }

    private static Numbered? AsNumbered(IReadOnlyList<string> lines, int index)
    {
        var match = NumberedLine().Match(lines[index]);
        return match.Success
            ? new Numbered(index, DigestLines.Number(match.Groups["number"].Value), match.Groups["title"].Value.TrimEnd())
            : null;
    }

    /// <summary>
    /// The table of contents is the first run of contiguous numbered lines. A run of one line is
    /// ambiguous with a section whose title fits on one line; it is a table of contents only if
    /// the section with the same number comes right after it (a section would have its summary there).
    /// </summary>
    private static (List<Numbered>? Entries, int Start, int End) FindTableOfContents(IReadOnlyList<string> lines)
    {
        var start = 0;
        while (start < lines.Count && AsNumbered(lines, start) is null)
        {
            start++;
        }

        var entries = new List<Numbered>();
        var end = start;
        while (end < lines.Count && AsNumbered(lines, end) is { } entry)
        {
            entries.Add(entry);
            end++;
        }

        if (entries.Count == 0)
        {
            return (null, 0, 0);
        }

        if (entries.Count == 1)
        {
            var next = end;
            while (next < lines.Count && DigestLines.IsBlank(lines[next]))
            {
                next++;
            }

            var startsSameSection = next > end && next < lines.Count && AsNumbered(lines, next)?.Number == entries[0].Number;
            if (!startsSameSection)
            {
                return (null, 0, 0);
            }
        }

        return (entries, start, end);
    }

    /// <summary>
    /// A numbered line starts a section when it starts a paragraph: after a blank line, after
    /// the previous section's links, or as the first numbered line of the body. Numbered lists
    /// inside a summary paragraph therefore stay in the summary.
    /// </summary>
    private static List<Numbered> FindSectionHeaders(IReadOnlyList<string> lines, int bodyStart)
    {
        var headers = new List<Numbered>();
        for (var i = bodyStart; i < lines.Count; i++)
        {
            if (AsNumbered(lines, i) is not { } numbered)
            {
                continue;
            }

            var startsParagraph = headers.Count == 0
                || DigestLines.IsBlank(lines[i - 1])
                || LinkLabels.LooksLikeUrl(lines[i - 1].Trim())
                || LinkLabels.ParseTextLabel(lines[i - 1]) is not null;
            if (startsParagraph)
            {
                headers.Add(numbered);
            }
        }

        return headers;
    }

    private static DraftPaper ReadSection(IReadOnlyList<string> lines, Numbered header, int end, List<DigestError> errors)
    {
        var titleLines = new List<string> { header.Title };
        var i = header.Index + 1;
        while (i < end
            && !DigestLines.IsBlank(lines[i])
            && !DigestLines.IsFooter(lines[i])
            && !TopicLine().IsMatch(lines[i])
            && LinkLabels.ParseTextLabel(lines[i]) is null)
        {
            titleLines.Add(lines[i]);
            i++;
        }

        var summary = new ParagraphBuilder();
        var links = new LinkSet();
        List<string>? topics = null;
        var inLinks = false;
        for (; i < end; i++)
        {
            if (DigestLines.IsFooter(lines[i]))
            {
                break;
            }

            if (TopicLine().Match(lines[i]) is { Success: true } topicLine)
            {
                // Like the links, topics close the summary: text after them is the article's, not the paper's.
                inLinks = true;
                topics ??= [];
                topics.AddRange(topicLine.Groups["topics"].Value.Split(TopicSeparators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            }
            else if (LinkLabels.ParseTextLabel(lines[i]) is { } label)
            {
                inLinks = true;
                i = DigestLines.ReadLabelledLink(lines, i, end, label, links, errors);
            }
            else if (!inLinks)
            {
                summary.AddLine(lines[i]);
            }
        }

        return new DraftPaper(header.Number, WrappedLines.Join(titleLines), summary.ToString(), links.ToPaperLinks(), header.Index + 1, topics);
    }
}
