using System.Text;
namespace PaperBot.Core.Topics;

/// <summary>
/// A paper's text as the model's sparse features: Chinese character pairs and lower-case Latin words, title and
/// summary apart, each hashed (FNV-1a) into <see cref="Buckets"/> and scaled so that each part has length 1.
/// Character pairs stand in for word segmentation: no dictionary to load, and a Chinese term of two or more
/// characters is always made of them.
/// </summary>
public static class TextFeatures
{
    public const int Buckets = 1 << 18;

    public static IReadOnlyDictionary<int, double> Of(string title, string summary)
    {
        var features = new Dictionary<int, double>();
        Add(features, "t", title);
        Add(features, "s", summary);
        return features;
    }

    private static void Add(Dictionary<int, double> features, string part, string? text)
    {
        var tokens = Tokens((text ?? string.Empty).Normalize(NormalizationForm.FormKC)).Select(t => Hash(part, t)).ToHashSet();
        if (tokens.Count == 0)
            return;
        var value = 1 / Math.Sqrt(tokens.Count);
        foreach (var token in tokens)
            features[token] = features.GetValueOrDefault(token) + value;
    }

    /// <summary>Character pairs within runs of Chinese characters; runs of Latin letters and digits as lower-case words.</summary>
    internal static IEnumerable<string> Tokens(string text)
    {
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (IsIdeograph(c))
            {
                var start = i;
                while (i < text.Length && IsIdeograph(text[i]))
                    i++;
                for (var k = start; k + 1 < i; k++)
                    yield return text.Substring(k, 2);
                if (i - start == 1)
                    yield return text.Substring(start, 1);
            }
            else if (char.IsAsciiLetterOrDigit(c))
            {
                var start = i;
                while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || (text[i] == '-' && i + 1 < text.Length && char.IsAsciiLetterOrDigit(text[i + 1]))))
                    i++;
                var word = text[start..i];
                if (word.Length > 1 && !word.All(char.IsAsciiDigit))
                    yield return word.ToLowerInvariant();
            }
            else
            {
                i++;
            }
        }
    }

    private static bool IsIdeograph(char c) => c is >= '\u4E00' and <= '\u9FFF' or >= '\u3400' and <= '\u4DBF';

    private static int Hash(string part, string token)
    {
        var hash = 2166136261u;
        foreach (var c in part + ":" + token)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return (int)(hash % Buckets);
    }
}
