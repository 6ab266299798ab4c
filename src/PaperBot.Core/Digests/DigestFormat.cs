namespace PaperBot.Core.Digests;

public enum DigestFormat
{
    Text,
    Markdown,
    Json,

    /// <summary>A WeChat article: saved from the editor, a published article page, or our own export.</summary>
    Html,
}
