namespace PaperBot.Core.Digests;

/// <summary>Line-level facts shared by the text and Markdown readers.</summary>
internal static class DigestLines
{
    public static IReadOnlyList<string> Split(string content) =>
        content.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').Split('\n');

    public static bool IsBlank(string line) => string.IsNullOrWhiteSpace(line);

    /// <summary>
    /// A section's number as matched by <c>\d</c>: ASCII digits, or the full-width ones (１２) a Chinese editor types,
    /// or any other decimal digit; <see cref="int.Parse(string, IFormatProvider)"/> takes only ASCII.
    /// </summary>
    public static int Number(string digits) => digits.Aggregate(0, (number, digit) => (number * 10) + (int)char.GetNumericValue(digit));

    /// <summary>A line wrapped in bars, such as <c>|点击关注我 👇 记得标星|</c>: the account's footer.</summary>
    public static bool IsFooter(string line)
    {
        var trimmed = line.Trim();
        return trimmed.Length >= 2 && trimmed[0] == '|' && trimmed[^1] == '|';
    }

    /// <summary>The intro as trimmed lines; runs of blank lines become one paragraph break.</summary>
    public static string Intro(IEnumerable<string> lines)
    {
        var kept = new List<string>();
        foreach (var line in lines.Select(l => l.Trim()))
        {
            if (line.Length > 0 || (kept.Count > 0 && kept[^1].Length > 0))
            {
                kept.Add(line);
            }
        }

        return string.Join('\n', kept).TrimEnd();
    }

    /// <summary>
    /// Reads the URL of a text label line (<c>论文链接:</c>): on the same line, or else on the next
    /// non-empty line before <paramref name="end"/>. Returns the index of the last line it used.
    /// </summary>
    public static int ReadLabelledLink(
        IReadOnlyList<string> lines, int labelIndex, int end, LinkLabelLine label, LinkSet links, List<DigestError> errors)
    {
        var candidate = LinkLabels.UrlCandidate(label.Rest);
        var urlIndex = labelIndex;
        if (!LinkLabels.LooksLikeUrl(candidate))
        {
            var next = labelIndex + 1;
            while (next < end && IsBlank(lines[next]))
            {
                next++;
            }

            if (next >= end
                || LinkLabels.ParseTextLabel(lines[next]) is not null
                || !LinkLabels.LooksLikeUrl(LinkLabels.UrlCandidate(lines[next])))
            {
                errors.Add(new DigestError(labelIndex + 1, $"link label '{label.Label}' has no URL"));
                return labelIndex;
            }

            candidate = LinkLabels.UrlCandidate(lines[next]);
            urlIndex = next;
        }

        if (LinkLabels.IsHttpUrl(candidate))
        {
            links.Add(label.Kind, candidate);
        }
        else
        {
            errors.Add(new DigestError(urlIndex + 1, $"link label '{label.Label}' has '{candidate}', which is not an http(s) URL"));
        }

        return urlIndex;
    }
}
