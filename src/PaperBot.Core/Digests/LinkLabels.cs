using System.Text.RegularExpressions;

namespace PaperBot.Core.Digests;

internal enum LinkKind
{
    Paper,
    Code,
    Project,
}

/// <summary>A text label line such as <c>论文链接:</c> or <c>Github 地址: https://…</c>; Rest is what follows the label.</summary>
internal sealed record LinkLabelLine(string Label, LinkKind Kind, string Rest);

/// <summary>
/// The link labels digests use. Text: <c>论文链接</c>/<c>论文地址</c> (paper),
/// <c>Github 地址</c>/<c>GitHub 地址</c>/<c>Github 链接</c>/<c>代码地址</c> (code),
/// <c>项目地址</c>/<c>项目主页</c>/<c>项目链接</c> (project), with or without a space before
/// 地址, then a half- or full-width colon, then the URL on the same or the next non-empty line.
/// Markdown: <c>[论文](url)</c>, <c>[Code](url)</c>, <c>[项目主页](url)</c> and the like.
/// </summary>
internal static partial class LinkLabels
{
    private static readonly Dictionary<string, LinkKind> MarkdownLabels = new(StringComparer.OrdinalIgnoreCase)
    {
        ["论文"] = LinkKind.Paper,
        ["论文链接"] = LinkKind.Paper,
        ["论文地址"] = LinkKind.Paper,
        ["paper"] = LinkKind.Paper,
        ["arxiv"] = LinkKind.Paper,
        ["代码"] = LinkKind.Code,
        ["代码地址"] = LinkKind.Code,
        ["代码链接"] = LinkKind.Code,
        ["code"] = LinkKind.Code,
        ["github"] = LinkKind.Code,
        ["github地址"] = LinkKind.Code,
        ["github链接"] = LinkKind.Code,
        ["项目"] = LinkKind.Project,
        ["项目主页"] = LinkKind.Project,
        ["项目地址"] = LinkKind.Project,
        ["项目链接"] = LinkKind.Project,
        ["project"] = LinkKind.Project,
        ["projectpage"] = LinkKind.Project,
    };

    [GeneratedRegex(@"^\s*(?:[-*+•·]\s*)?(?<label>论文\s*(?:链接|地址)|git\s*hub\s*(?:地址|链接)|代码\s*(?:地址|链接)|项目\s*(?:地址|主页|链接))\s*(?<colon>[:\uFF1A])?\s*(?<rest>.*)$", RegexOptions.IgnoreCase)]
    private static partial Regex TextLabel();

    [GeneratedRegex(@"^(?:[a-z][a-z0-9+.\-]*://|www\.|[a-z0-9\-]+(?:\.[a-z0-9\-]+)+/)", RegexOptions.IgnoreCase)]
    private static partial Regex UrlLike();

    [GeneratedRegex(@"^\[[^\[\]]*\]\((?<url>[^()\s]*)\)")]
    private static partial Regex MarkdownLinkAtStart();

    public static LinkLabelLine? ParseTextLabel(string line)
    {
        var match = TextLabel().Match(line);
        if (!match.Success)
        {
            return null;
        }

        var rest = match.Groups["rest"].Value.Trim();

        // Without a colon the label must stand alone or be followed by a URL; otherwise it is
        // prose that happens to start with the same words ("项目主页显示…").
        if (!match.Groups["colon"].Success && rest.Length > 0 && !LooksLikeUrl(UrlCandidate(rest)))
        {
            return null;
        }

        var label = match.Groups["label"].Value;
        return new LinkLabelLine(label, KindOfTextLabel(label), rest);
    }

    public static LinkKind? KindOfMarkdownLabel(string label)
    {
        var key = string.Concat(label.Where(c => !char.IsWhiteSpace(c)));
        return MarkdownLabels.TryGetValue(key, out var kind) ? kind : null;
    }

    /// <summary>True for anything written like a URL: a scheme, <c>www.</c>, or <c>host.tld/</c>.</summary>
    public static bool LooksLikeUrl(string text) => UrlLike().IsMatch(text);

    public static bool IsHttpUrl(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
        && uri.Host.Length > 0;

    /// <summary>
    /// The URL a label points at: the first whitespace-separated word, without the angle
    /// brackets of <c>&lt;url&gt;</c>, or the target of a Markdown link <c>[text](url)</c>.
    /// </summary>
    public static string UrlCandidate(string text)
    {
        var trimmed = text.Trim();
        var markdown = MarkdownLinkAtStart().Match(trimmed);
        if (markdown.Success)
        {
            return markdown.Groups["url"].Value;
        }

        var end = 0;
        while (end < trimmed.Length && !char.IsWhiteSpace(trimmed[end]))
        {
            end++;
        }

        var word = trimmed[..end];
        return word.Length > 2 && word[0] == '<' && word[^1] == '>' ? word[1..^1] : word;
    }

    private static LinkKind KindOfTextLabel(string label) =>
        label.StartsWith('论') ? LinkKind.Paper
        : label.StartsWith('项') ? LinkKind.Project
        : LinkKind.Code;
}

/// <summary>Collects a paper's links; the first link of each kind wins.</summary>
internal sealed class LinkSet
{
    private string? paper;
    private string? code;
    private string? project;

    public void Add(LinkKind kind, string url)
    {
        switch (kind)
        {
            case LinkKind.Paper:
                paper ??= url;
                break;
            case LinkKind.Code:
                code ??= url;
                break;
            case LinkKind.Project:
                project ??= url;
                break;
        }
    }

    public PaperLinks ToPaperLinks() => new(paper, code, project);
}
