using System.Text.Json;

namespace PaperBot.Core.Digests;

/// <summary>
/// Where things are in a JSON digest, so that errors found after parsing can name a line:
/// the line of each root property, of each element of <c>papers</c> and of each property of
/// those elements. <see cref="JsonDocument"/> keeps no positions, so this walks the tokens once.
/// </summary>
internal sealed class JsonLineMap
{
    private readonly Dictionary<string, int> rootProperties = new(StringComparer.Ordinal);
    private readonly List<(int Line, Dictionary<string, int> Properties)> papers = [];

    public int Root(string property) => rootProperties.TryGetValue(property, out var line) ? line : 1;

    public int Paper(int index) => index < papers.Count ? papers[index].Line : Root("papers");

    public int PaperProperty(int index, string property) =>
        index < papers.Count && papers[index].Properties.TryGetValue(property, out var line) ? line : Paper(index);

    public static JsonLineMap Build(byte[] utf8)
    {
        var map = new JsonLineMap();
        var lineStarts = new List<long> { 0 };
        for (var i = 0; i < utf8.Length; i++)
        {
            if (utf8[i] == (byte)'\n')
            {
                lineStarts.Add(i + 1);
            }
        }

        int LineOf(long offset)
        {
            var found = lineStarts.BinarySearch(offset);
            return (found >= 0 ? found : ~found - 1) + 1;
        }

        var reader = new Utf8JsonReader(utf8);
        string? rootProperty = null;
        var inPapers = false;
        while (reader.Read())
        {
            var depth = reader.CurrentDepth;
            var line = LineOf(reader.TokenStartIndex);
            switch (reader.TokenType)
            {
                case JsonTokenType.PropertyName when depth == 1:
                    rootProperty = reader.GetString()!;
                    map.rootProperties.TryAdd(rootProperty, line);
                    break;
                case JsonTokenType.StartArray when depth == 1:
                    inPapers = rootProperty == "papers";
                    break;
                case JsonTokenType.EndArray when depth == 1:
                    inPapers = false;
                    break;
                case JsonTokenType.PropertyName when depth == 3 && inPapers && map.papers.Count > 0:
                    map.papers[^1].Properties.TryAdd(reader.GetString()!, line);
                    break;
                case not (JsonTokenType.EndObject or JsonTokenType.EndArray or JsonTokenType.PropertyName or JsonTokenType.Comment)
                    when depth == 2 && inPapers:
                    map.papers.Add((line, new Dictionary<string, int>(StringComparer.Ordinal)));
                    break;
            }
        }

        return map;
    }
}
