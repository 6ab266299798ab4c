namespace PaperBot.Core.Digests;

// Topics is null when the source did not give topics (text, Markdown); JSON may give them.
public sealed record DigestPaper(int Number, string Title, string Summary, PaperLinks Links, IReadOnlyList<string>? Topics = null)
{
    public string? ArxivId => ArxivIds.FromUrl(Links.Paper);
}
