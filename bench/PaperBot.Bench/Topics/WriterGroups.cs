namespace PaperBot.Bench.Topics;

/// <summary>
/// Tuning papers grouped by the hand that wrote them, for scoring leaving one writer out. The argument names files
/// without <c>.txt</c>, commas between the files of a group and ';' between groups
/// (<c>tuning-19,tuning-20;tuning-23,tuning-24</c>). A paper in no named group is only ever trained on.
/// </summary>
public sealed class WriterGroups
{
    private readonly List<string[]> groups;

    private WriterGroups(List<string[]> groups) => this.groups = groups;

    public static WriterGroups Parse(string argument) => new([.. argument
        .Split(';', StringSplitOptions.RemoveEmptyEntries)
        .Select(g => g.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))]);

    public int Count => groups.Count;

    /// <summary>The index of the paper's group, or -1 when no group names its file.</summary>
    public int Of(LabelledPaper paper) => groups.FindIndex(g => g.Contains(Path.GetFileNameWithoutExtension(paper.File)));

    /// <summary>A group's short name for a report: its first file and "..".</summary>
    public string Name(int group) => $"{groups[group][0]}..";

    public string Describe(IReadOnlyList<LabelledPaper> tuning) =>
        string.Join(" | ", groups.Select((g, i) => $"{string.Join(",", g)} ({tuning.Count(p => Of(p) == i)})"));
}
