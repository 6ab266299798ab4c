using System.Text.Json;
using System.Text.RegularExpressions;

namespace PaperBot.Core.Topics;

/// <summary>
/// The topic catalogue, config/topics.json:
/// <code>
/// [{"slug": "long-context",
///   "names": {"zh": "长上下文", "en": "Long context"},
///   "descriptions": {"zh": "更长的上下文、长文档……", "en": "Longer contexts, long documents, …"},
///   "keywords": {"zh": ["长上下文^2", "上下文窗口"], "en": ["long context^2", "context window"]},
///   "exclude": {"zh": ["上下文学习"], "en": ["in-context learning"]}}]
/// </code>
/// Slugs are lower-case words joined by hyphens and unique; names are non-empty and unique. A keyword may end in
/// "^WEIGHT" (a positive number; 1 without it): how much one mention counts. "exclude" lists keywords whose
/// mentions count against the topic. Descriptions are optional, but when given need both languages.
/// </summary>
public sealed partial class TopicCatalog
{
    private TopicCatalog(IReadOnlyList<Topic> topics) => All = topics;

    public IReadOnlyList<Topic> All { get; }

    [GeneratedRegex(@"^[a-z0-9]+(?:-[a-z0-9]+)*$")]
    private static partial Regex SlugFormat();

    /// <summary>Reads and checks the catalogue; any problem is an <see cref="InvalidDataException"/> naming the file.</summary>
    public static TopicCatalog Load(string path)
    {
        var json = File.ReadAllText(path);
        try
        {
            return Parse(json);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
    }

    public static TopicCatalog Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"bad JSON at line {(e.LineNumber ?? 0) + 1}: {FirstSentence(e.Message)}", e);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                throw new InvalidDataException("expected a JSON array of topics");
            }

            var topics = new List<Topic>();
            var position = 0;
            foreach (var element in document.RootElement.EnumerateArray())
            {
                position++;
                var topic = ReadTopic(element, position);
                var clash = topics.FindIndex(t => string.Equals(t.Slug, topic.Slug, StringComparison.OrdinalIgnoreCase));
                if (clash >= 0)
                {
                    throw new InvalidDataException($"duplicate slug '{topic.Slug}' (topics {clash + 1} and {position})");
                }

                foreach (var name in new[] { topic.Names.Zh, topic.Names.En })
                {
                    var owner = topics.FindIndex(t => NameMatches(t, name));
                    if (owner >= 0)
                    {
                        throw new InvalidDataException($"duplicate name '{name}' (topics {owner + 1} and {position})");
                    }
                }

                topics.Add(topic);
            }

            return new TopicCatalog(topics);
        }
    }

    /// <summary>
    /// The topic with this slug or Chinese or English name (trimmed, ignoring case), or else the
    /// only topic whose slug starts with it ("long" finds long-context); null when none or several match.
    /// </summary>
    public Topic? Find(string slugOrName)
    {
        var query = slugOrName?.Trim() ?? string.Empty;
        if (query.Length == 0)
        {
            return null;
        }

        if (Exact(query) is { } exact)
        {
            return exact;
        }

        var byPrefix = All.Where(t => t.Slug.StartsWith(query, StringComparison.OrdinalIgnoreCase)).Take(2).ToList();
        return byPrefix.Count == 1 ? byPrefix[0] : null;
    }

    /// <summary>The topic with exactly this slug or Chinese or English name (trimmed, ignoring case), without guessing.</summary>
    public Topic? Exact(string slugOrName)
    {
        var query = slugOrName?.Trim() ?? string.Empty;
        return All.FirstOrDefault(t => string.Equals(t.Slug, query, StringComparison.OrdinalIgnoreCase) || NameMatches(t, query));
    }

    /// <summary>
    /// The chosen slugs the catalogue still has. A topic removed from config/topics.json filters nothing: no new paper
    /// carries it, so a subscriber who chose only removed topics gets every paper instead of nothing, week after week.
    /// </summary>
    public IReadOnlySet<string> Current(IEnumerable<string> chosen) => chosen.Where(slug => All.Any(t => t.Slug == slug)).ToHashSet();

    public bool Contains(string slug) => All.Any(t => string.Equals(t.Slug, slug?.Trim(), StringComparison.OrdinalIgnoreCase));

    private static bool NameMatches(Topic topic, string name) =>
        string.Equals(topic.Names.Zh, name, StringComparison.OrdinalIgnoreCase)
        || string.Equals(topic.Names.En, name, StringComparison.OrdinalIgnoreCase);

    private static Topic ReadTopic(JsonElement element, int position)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException($"topic {position} is not an object");
        }

        var slug = RequiredString(element, "slug", "slug", $"topic {position}");
        if (!SlugFormat().IsMatch(slug))
        {
            throw new InvalidDataException($"topic {position} has slug '{slug}'; slugs are lower-case words joined by hyphens");
        }

        var where = $"topic {position} ('{slug}')";
        if (!element.TryGetProperty("names", out var names) || names.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException($"{where}: 'names' is missing or not an object");
        }

        var zh = RequiredString(names, "zh", "names.zh", where);
        var en = RequiredString(names, "en", "names.en", where);

        TopicNames? description = null;
        if (element.TryGetProperty("descriptions", out var descriptions))
        {
            if (descriptions.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidDataException($"{where}: 'descriptions' is not an object of 'zh' and 'en' lines");
            }

            description = new TopicNames(RequiredString(descriptions, "zh", "descriptions.zh", where), RequiredString(descriptions, "en", "descriptions.en", where));
        }

        return new Topic(slug, new TopicNames(zh, en), Terms(element, "keywords", where), Terms(element, "exclude", where), description);
    }

    private static List<TopicTerm> Terms(JsonElement element, string property, string where)
    {
        if (!element.TryGetProperty(property, out var lists))
        {
            return [];
        }

        if (lists.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException($"{where}: '{property}' is not an object of 'zh' and 'en' lists");
        }

        return [.. KeywordList(lists, "zh", property, where).Concat(KeywordList(lists, "en", property, where)).Select(k => Term(k, property, where))];
    }

    private static TopicTerm Term(string keyword, string property, string where)
    {
        var caret = keyword.LastIndexOf('^');
        if (caret < 0)
        {
            return new TopicTerm(keyword, 1);
        }

        var text = keyword[..caret].Trim();
        if (text.Length == 0
            || !double.TryParse(keyword[(caret + 1)..], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var weight)
            || !(weight > 0 && weight <= 100))
        {
            throw new InvalidDataException($"{where}: '{property}' has '{keyword}'; a weight is written 'keyword^1.5' with a number above 0 and at most 100");
        }

        return new TopicTerm(text, weight);
    }

    private static string RequiredString(JsonElement owner, string property, string path, string where)
    {
        if (!owner.TryGetProperty(property, out var value) || value.ValueKind != JsonValueKind.String)
        {
            throw new InvalidDataException($"{where}: '{path}' is missing or not a string");
        }

        var text = value.GetString()!.Trim();
        return text.Length > 0 ? text : throw new InvalidDataException($"{where}: '{path}' is empty");
    }

    private static IEnumerable<string> KeywordList(JsonElement keywords, string language, string property, string where)
    {
        if (!keywords.TryGetProperty(language, out var list) || list.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        if (list.ValueKind != JsonValueKind.Array
            || list.EnumerateArray().Any(k => k.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(k.GetString())))
        {
            throw new InvalidDataException($"{where}: '{property}.{language}' must be a list of non-empty strings");
        }

        return [.. list.EnumerateArray().Select(k => k.GetString()!.Trim())];
    }

    private static string FirstSentence(string message)
    {
        var position = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return (position >= 0 ? message[..position] : message).TrimEnd('.', ' ');
    }
}
