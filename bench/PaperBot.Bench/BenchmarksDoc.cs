namespace PaperBot.Bench;

/// <summary>
/// docs/benchmarks.md holds one "## " section per bench mode (delivery, crash, lean, topics). Each mode rewrites its
/// own section and keeps everything else as it is: the other modes' sections and the text written by hand.
/// </summary>
public static class BenchmarksDoc
{
    public const string Topics = "## Topic tagging";

    public static async Task WriteAsync(string path, string heading, string section)
    {
        var existing = File.Exists(path) ? await File.ReadAllTextAsync(path) : "";
        await File.WriteAllTextAsync(path, Replace(existing, heading, section));
    }

    /// <summary>
    /// The text with the section under <paramref name="heading"/> replaced by <paramref name="section"/>, or with
    /// the section appended when there is none yet. A section ends at the next heading of its level or above.
    /// </summary>
    public static string Replace(string text, string heading, string section)
    {
        section = section.TrimEnd() + "\n";
        var lines = Lines(text).ToList();
        var start = lines.FindIndex(l => l.Text == heading);
        if (start < 0)
            return text.Trim().Length == 0 ? section : text.TrimEnd() + "\n\n" + section;
        var level = Level(heading);
        var before = text[..lines[start].At];
        var fenced = false;
        foreach (var (at, line) in lines.Skip(start + 1))
        {
            if (line.StartsWith("```", StringComparison.Ordinal))
                fenced = !fenced;
            else if (!fenced && Level(line) is > 0 and var h && h <= level)
                return before + section + "\n" + text[at..];
        }

        return before + section;
    }

    private static int Level(string line) => line.StartsWith('#') && line.TrimStart('#').StartsWith(' ') ? line.Length - line.TrimStart('#').Length : 0;

    private static IEnumerable<(int At, string Text)> Lines(string text)
    {
        for (var at = 0; at < text.Length;)
        {
            var end = text.IndexOf('\n', at);
            yield return (at, (end < 0 ? text[at..] : text[at..end]).TrimEnd());
            if (end < 0)
                yield break;
            at = end + 1;
        }
    }
}
