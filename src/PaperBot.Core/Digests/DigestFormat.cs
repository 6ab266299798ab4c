namespace PaperBot.Core.Digests;

public enum DigestFormat
{
    Text,
    Markdown,
    Json,
}
