using System.Text;
using System.Text.Json;

namespace PaperBot.Core.Digests;

/// <summary>
/// Reads the digest shape our JSON API returns (camelCase):
/// <code>
/// {"id": 3, "title": "…", "intro": "…",
///  "papers": [{"number": 4, "title": "…", "summary": "…", "arxivId": "2404.07965",
///              "links": {"paper": "https://…", "code": null, "project": null},
///              "topics": ["data-efficiency"]}]}
/// </code>
/// <c>id</c> and <c>arxivId</c> are ignored on import (the arXiv id follows from the paper link);
/// <c>intro</c>, <c>links</c>, its members and <c>topics</c> are optional.
/// </summary>
internal static class JsonDigestReader
{
    public static DigestParseResult Read(string content)
    {
        var utf8 = Encoding.UTF8.GetBytes(content);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8);
        }
        catch (JsonException e)
        {
            return DigestAssembler.Failed((int)(e.LineNumber ?? 0) + 1, $"malformed JSON: {Reason(e)}");
        }

        using (document)
        {
            return Read(document.RootElement, JsonLineMap.Build(utf8));
        }
    }

    /// <summary>The exception's message without the position it repeats ("… LineNumber: 3 | BytePositionInLine: 7.").</summary>
    private static string Reason(JsonException e)
    {
        var message = e.Message;
        var position = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return (position >= 0 ? message[..position] : message).TrimEnd('.', ' ');
    }

    private static DigestParseResult Read(JsonElement root, JsonLineMap lines)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return DigestAssembler.Failed(1, "expected a JSON object with a 'papers' array");
        }

        var errors = new List<DigestError>();
        var title = OptionalString(root, "title", lines.Root("title"), "'title'", errors);
        var intro = OptionalString(root, "intro", lines.Root("intro"), "'intro'", errors) ?? string.Empty;

        if (!root.TryGetProperty("papers", out var papersElement) || papersElement.ValueKind != JsonValueKind.Array)
        {
            errors.Add(new DigestError(lines.Root("papers"), "expected 'papers' to be an array of papers"));
            return new DigestParseResult(null, errors);
        }

        if (papersElement.GetArrayLength() == 0)
        {
            errors.Add(new DigestError(lines.Root("papers"), "'papers' is empty; a digest needs at least one paper"));
        }

        var papers = new List<DraftPaper>();
        var index = 0;
        foreach (var element in papersElement.EnumerateArray())
        {
            if (ReadPaper(element, index, lines, errors) is { } paper)
            {
                papers.Add(paper);
            }

            index++;
        }

        var digestTitle = string.IsNullOrWhiteSpace(title) ? DigestAssembler.DefaultTitle : title.Trim();
        return DigestAssembler.Assemble(digestTitle, intro.Trim(), null, papers, errors, "paper");
    }

    private static DraftPaper? ReadPaper(JsonElement element, int index, JsonLineMap lines, List<DigestError> errors)
    {
        var line = lines.Paper(index);
        var position = $"papers[{index}]";
        if (element.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new DigestError(line, $"{position} is not an object"));
            return null;
        }

        if (!element.TryGetProperty("number", out var numberElement)
            || numberElement.ValueKind != JsonValueKind.Number
            || !numberElement.TryGetInt32(out var number))
        {
            errors.Add(new DigestError(lines.PaperProperty(index, "number"), $"{position} needs a whole 'number'"));
            return null;
        }

        var name = $"paper {number}";
        var errorCount = errors.Count;
        var title = OptionalString(element, "title", lines.PaperProperty(index, "title"), $"{name} 'title'", errors)?.Trim();
        if (errors.Count == errorCount && string.IsNullOrEmpty(title))
        {
            errors.Add(new DigestError(lines.PaperProperty(index, "title"), $"{name} has no title"));
        }

        var summary = OptionalString(element, "summary", lines.PaperProperty(index, "summary"), $"{name} 'summary'", errors) ?? string.Empty;
        var links = ReadLinks(element, name, lines.PaperProperty(index, "links"), errors);
        var topics = ReadTopics(element, name, lines.PaperProperty(index, "topics"), errors);
        return new DraftPaper(number, title ?? string.Empty, NormalizeText(summary), links, line, topics);
    }

    private static PaperLinks ReadLinks(JsonElement paper, string name, int line, List<DigestError> errors)
    {
        if (!paper.TryGetProperty("links", out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return PaperLinks.None;
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new DigestError(line, $"{name} 'links' is not an object"));
            return PaperLinks.None;
        }

        string? Link(string kind)
        {
            var url = OptionalString(element, kind, line, $"{name} link '{kind}'", errors)?.Trim();
            if (string.IsNullOrEmpty(url))
            {
                return null;
            }

            if (!LinkLabels.IsHttpUrl(url))
            {
                errors.Add(new DigestError(line, $"{name} link '{kind}' is '{url}', which is not an http(s) URL"));
                return null;
            }

            return url;
        }

        return new PaperLinks(Link("paper"), Link("code"), Link("project"));
    }

    private static List<string>? ReadTopics(JsonElement paper, string name, int line, List<DigestError> errors)
    {
        if (!paper.TryGetProperty("topics", out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (element.ValueKind != JsonValueKind.Array || element.EnumerateArray().Any(t => t.ValueKind != JsonValueKind.String))
        {
            errors.Add(new DigestError(line, $"{name} 'topics' is not an array of strings"));
            return null;
        }

        return [.. element.EnumerateArray().Select(t => t.GetString()!.Trim()).Where(t => t.Length > 0)];
    }

    /// <summary>A string property; null when absent or null, an error when it has another type.</summary>
    private static string? OptionalString(JsonElement owner, string property, int line, string description, List<DigestError> errors)
    {
        if (!owner.TryGetProperty(property, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (element.ValueKind != JsonValueKind.String)
        {
            errors.Add(new DigestError(line, $"{description} is not a string"));
            return null;
        }

        return element.GetString();
    }

    private static string NormalizeText(string text) =>
        text.Replace("\r\n", "\n", StringComparison.Ordinal).Trim();
}
