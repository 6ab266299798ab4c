using PaperBot.Core.Issues;

namespace PaperBot.Core.Digests;

/// <summary>An entry of a digest's table of contents, as read.</summary>
internal sealed record TocEntry(int Number, string Title, int Line);

/// <summary>A section (text, Markdown) or paper (JSON) as read, before the digest-wide checks.</summary>
internal sealed record DraftPaper(int Number, string Title, string Summary, PaperLinks Links, int Line, IReadOnlyList<string>? Topics = null);

/// <summary>
/// The rules every format shares: papers numbered 1..N in order, each with a summary, titles and links no longer than
/// the database keeps, and, when there is a table of contents, the same numbers and titles there as in the sections.
/// </summary>
internal static class DigestAssembler
{
    public const string DefaultTitle = "AI 论文周报";

    public static DigestParseResult Assemble(
        string title,
        string intro,
        IReadOnlyList<TocEntry>? tableOfContents,
        IReadOnlyList<DraftPaper> papers,
        List<DigestError> errors,
        string noun)
    {
        CheckNumbering(papers.Select(p => (p.Number, p.Line)), n => $"{noun} {n}", $"{noun}s", errors);
        foreach (var paper in papers.Where(p => string.IsNullOrWhiteSpace(p.Summary)))
        {
            errors.Add(new DigestError(paper.Line, $"{noun} {paper.Number} has no summary"));
        }

        CheckLengths(title, papers, errors, noun);

        if (tableOfContents is not null)
        {
            CheckTableOfContents(tableOfContents, papers, errors);
        }

        if (errors.Count > 0)
        {
            return new DigestParseResult(null, [.. errors.OrderBy(e => e.Line)]);
        }

        var digestPapers = papers
            .Select(p => new DigestPaper(p.Number, p.Title, p.Summary, p.Links, p.Topics))
            .ToList();
        return new DigestParseResult(new Digest(title, intro, digestPapers), []);
    }

    public static DigestParseResult Failed(int line, string message) => new(null, [new DigestError(line, message)]);

    /// <summary>The digest title from the intro: its first line without a trailing colon, cut to the longest title kept.</summary>
    public static string TitleFromIntro(string intro)
    {
        var firstLine = intro.Split('\n', 2)[0].Trim().TrimEnd(':', '\uFF1A').TrimEnd();
        if (firstLine.Length > Issue.MaxTitleLength)
            firstLine = firstLine[..(Issue.MaxTitleLength - 1)].TrimEnd() + "…";
        return firstLine.Length > 0 ? firstLine : DefaultTitle;
    }

    /// <summary>
    /// What SQLite would store and PostgreSQL refuse (value too long): the same digest is refused on both, with the line,
    /// instead of failing on PostgreSQL with a database error.
    /// </summary>
    private static void CheckLengths(string title, IReadOnlyList<DraftPaper> papers, List<DigestError> errors, string noun)
    {
        if (title.Length > Issue.MaxTitleLength)
            errors.Add(new DigestError(0, $"the digest's title is {title.Length} characters; at most {Issue.MaxTitleLength}"));
        foreach (var paper in papers)
        {
            if (paper.Title.Length > Paper.MaxTitleLength)
                errors.Add(new DigestError(paper.Line, $"{noun} {paper.Number}'s title is {paper.Title.Length} characters; at most {Paper.MaxTitleLength}"));
            if (new[] { paper.Links.Paper, paper.Links.Code, paper.Links.Project }.FirstOrDefault(l => l?.Length > Paper.MaxUrlLength) is { } link)
                errors.Add(new DigestError(paper.Line, $"{noun} {paper.Number} has a link of {link.Length} characters; at most {Paper.MaxUrlLength}"));
        }
    }

    private static void CheckNumbering(
        IEnumerable<(int Number, int Line)> items, Func<int, string> name, string plural, List<DigestError> errors)
    {
        var firstLineOf = new Dictionary<int, int>();
        var highest = 0;
        foreach (var (number, line) in items)
        {
            if (firstLineOf.TryGetValue(number, out var firstLine))
            {
                errors.Add(new DigestError(line, $"{name(number)} appears twice; the first is at line {firstLine}"));
                continue;
            }

            firstLineOf.Add(number, line);
            if (number < 1)
            {
                errors.Add(new DigestError(line, $"{name(number)} is not allowed; {plural} are numbered from 1"));
                continue;
            }

            if (number > highest + 1)
            {
                var missing = number == highest + 2
                    ? $"{name(highest + 1)} is missing"
                    : $"{plural} {highest + 1}–{number - 1} are missing";
                errors.Add(new DigestError(line, highest == 0
                    ? $"{name(number)} comes first; {plural} are numbered from 1, so {missing}"
                    : $"{name(number)} follows {name(highest)}; {missing}"));
            }
            else if (number < highest)
            {
                errors.Add(new DigestError(line, $"{name(number)} comes after {name(highest)}; {plural} must be numbered 1, 2, 3… in order"));
            }

            highest = Math.Max(highest, number);
        }
    }

    private static void CheckTableOfContents(IReadOnlyList<TocEntry> toc, IReadOnlyList<DraftPaper> papers, List<DigestError> errors)
    {
        CheckNumbering(toc.Select(e => (e.Number, e.Line)), n => $"table of contents entry {n}", "table of contents entries", errors);

        var entries = new Dictionary<int, TocEntry>();
        foreach (var entry in toc)
        {
            entries.TryAdd(entry.Number, entry);
        }

        var sections = new Dictionary<int, DraftPaper>();
        foreach (var paper in papers)
        {
            sections.TryAdd(paper.Number, paper);
        }

        var lists = toc.Count == 1 ? "1 paper" : $"{toc.Count} papers";
        var firstMissing = toc.FirstOrDefault(e => !sections.ContainsKey(e.Number));
        if (firstMissing is not null)
        {
            errors.Add(new DigestError(firstMissing.Line, $"table of contents lists {lists} but {DescribeFound(sections.Keys)}"));
        }

        foreach (var section in sections.Values)
        {
            if (!entries.TryGetValue(section.Number, out var entry))
            {
                errors.Add(new DigestError(section.Line, $"section {section.Number} is not in the table of contents, which lists {lists}"));
            }
            else if (TitleKey.Of(section.Title) != TitleKey.Of(entry.Title))
            {
                errors.Add(new DigestError(section.Line,
                    $"section {section.Number} title '{section.Title}' does not match table of contents entry {entry.Number} '{entry.Title}'"));
            }
        }
    }

    /// <summary>"sections 1–4, 6–14 were found", "section 1 was found" or "no sections were found".</summary>
    private static string DescribeFound(IEnumerable<int> numbers)
    {
        var sorted = numbers.Order().ToList();
        if (sorted.Count == 0)
        {
            return "no sections were found";
        }

        var ranges = new List<string>();
        var start = sorted[0];
        for (var i = 1; i <= sorted.Count; i++)
        {
            if (i < sorted.Count && sorted[i] == sorted[i - 1] + 1)
            {
                continue;
            }

            var end = sorted[i - 1];
            ranges.Add(start == end ? $"{start}" : $"{start}–{end}");
            if (i < sorted.Count)
            {
                start = sorted[i];
            }
        }

        return sorted.Count == 1 ? $"section {ranges[0]} was found" : $"sections {string.Join(", ", ranges)} were found";
    }
}
