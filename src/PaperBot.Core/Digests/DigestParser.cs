using System.Text;
using System.Text.RegularExpressions;
using PaperBot.Xml;

namespace PaperBot.Core.Digests;

/// <summary>
/// Reads a digest in any of its formats. Bad input never throws: the result carries every
/// problem found, each with its 1-based line (0 for the input as a whole).
/// </summary>
public static partial class DigestParser
{
    public const int MaxInputBytes = 1024 * 1024;

    /// <summary>A saved article page carries the platform's scripts and styles around the article: more room.</summary>
    public const int MaxHtmlInputBytes = 8 * 1024 * 1024;

    [GeneratedRegex(@"^#{1,6}[ \t]+\S", RegexOptions.Multiline)]
    private static partial Regex MarkdownHeading();

    public static DigestParseResult Parse(string content, DigestFormat? format = null)
    {
        ArgumentNullException.ThrowIfNull(content);

        var text = XmlChars.WithoutIllegal(content.Length > 0 && content[0] == '\uFEFF' ? content[1..] : content);
        var detected = format ?? DetectFormat(text);
        var max = detected == DigestFormat.Html ? MaxHtmlInputBytes : MaxInputBytes;

        // Each char is at least one UTF-8 byte, so only shorter inputs need counting.
        if (content.Length > max || Encoding.UTF8.GetByteCount(content) > max)
        {
            return DigestAssembler.Failed(0, $"the input is larger than {max / (1024 * 1024)} MB ({max} bytes), the most a digest in this format may be");
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            return DigestAssembler.Failed(0, "the input is empty");
        }

        return detected switch
        {
            DigestFormat.Html => HtmlDigestReader.Read(text),
            DigestFormat.Json => JsonDigestReader.Read(text),
            DigestFormat.Markdown => MarkdownDigestReader.Read(DigestLines.Split(text)),
            DigestFormat.Text => TextDigestReader.Read(DigestLines.Split(text)),
            var unknown => throw new ArgumentOutOfRangeException(nameof(format), unknown, "unknown digest format"),
        };
    }

    /// <summary>
    /// JSON when the first non-whitespace character is <c>{</c>; HTML when it is <c>&lt;</c>; Markdown when a line is a
    /// heading (<c>#</c> to <c>######</c>, a space, then text; "#hashtag" is not one); else text.
    /// </summary>
    public static DigestFormat DetectFormat(string content)
    {
        ArgumentNullException.ThrowIfNull(content);
        var trimmed = content.TrimStart('\uFEFF').TrimStart();
        if (trimmed.StartsWith('{'))
        {
            return DigestFormat.Json;
        }

        if (trimmed.StartsWith('<'))
        {
            return DigestFormat.Html;
        }

        return MarkdownHeading().IsMatch(trimmed) ? DigestFormat.Markdown : DigestFormat.Text;
    }

    /// <summary>The format a file's extension names (.json, .md/.markdown, .txt, .html/.htm), or null.</summary>
    public static DigestFormat? FormatFromFileName(string fileName)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        var extension = Path.GetExtension(fileName.Trim());
        if (extension.Equals(".json", StringComparison.OrdinalIgnoreCase))
        {
            return DigestFormat.Json;
        }

        if (extension.Equals(".md", StringComparison.OrdinalIgnoreCase) || extension.Equals(".markdown", StringComparison.OrdinalIgnoreCase))
        {
            return DigestFormat.Markdown;
        }

        if (extension.Equals(".html", StringComparison.OrdinalIgnoreCase) || extension.Equals(".htm", StringComparison.OrdinalIgnoreCase))
        {
            return DigestFormat.Html;
        }

        return extension.Equals(".txt", StringComparison.OrdinalIgnoreCase) ? DigestFormat.Text : null;
    }
}
