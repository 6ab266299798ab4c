namespace PaperBot.WeChat;

/// <summary>One article of a news (图文) message; the first one is shown with the large picture.</summary>
public sealed record WeChatNewsArticle(string Title, string Description, string Url, string? PicUrl = null);
