namespace PaperBot.Core.Digests;

/// <summary>Collects text lines into paragraphs: wrapped lines are joined, paragraphs are separated by a blank line.</summary>
internal sealed class ParagraphBuilder
{
    private readonly List<List<string>> paragraphs = [];
    private List<string>? current;

    public bool IsEmpty => paragraphs.Count == 0;

    public void AddLine(string line)
    {
        if (string.IsNullOrWhiteSpace(line))
        {
            EndParagraph();
            return;
        }

        if (current is null)
        {
            current = [];
            paragraphs.Add(current);
        }

        current.Add(line.Trim());
    }

    public void EndParagraph() => current = null;

    public override string ToString() => string.Join("\n\n", paragraphs.Select(WrappedLines.JoinParagraph));
}
