using Microsoft.Extensions.Options;
using PaperBot.Channels.Telegram;
using PaperBot.Channels.WeChat;
using PaperBot.Core.Commands;
using PaperBot.Core.Issues;
using PaperBot.Core.Publishing;
using PaperBot.Core.Sending;
using PaperBot.Core.Subscribers;
using PaperBot.Web;
using PaperBot.WeChat;

namespace PaperBot.Admin;

public sealed record PreviewButton(string Text, string? Url);

/// <summary>One Telegram message as it will look: sanitised HTML and the inline keyboard under it.</summary>
public sealed record TelegramBubble(string Html, IReadOnlyList<IReadOnlyList<PreviewButton>> Keyboard);

/// <summary>
/// What one push looks like on each channel: Telegram messages, the WeChat text (sanitised HTML: its links only),
/// and a paper card as Telegram shows it and as a WeChat news article (图文). Empty when the recipient would be skipped.
/// </summary>
public sealed record ChannelPreview(
    IReadOnlyList<TelegramBubble> Telegram, string? WeChatHtml,
    IReadOnlyList<TelegramBubble> TelegramCard, WeChatNewsArticle? WeChatCard)
{
    public bool Skipped => Telegram.Count == 0;
}

/// <summary>
/// Builds what a subscriber receives — the same <see cref="DigestMessages"/> the sending engine uses, for a sample
/// recipient of each channel — and renders it with each channel's own formatter (<see cref="TelegramFormatter"/>,
/// <see cref="WeChatFormatter"/>), exactly as the senders do.
/// </summary>
public sealed class IssuePreviews(DigestMessages digests, PaperCards cards, IOptions<WebOptions> web)
{
    public ChannelPreview ForIssue(Issue issue, IReadOnlySet<string> topics, string language, int? paperNumber, HttpRequest request)
    {
        var push = new Push { Kind = PushKind.Issue, IssueId = issue.Id, Issue = issue, CreatedBy = AdminLogin.Actor };
        var telegram = digests.For(push, Recipient(Channel.Telegram, language), topics);
        var wechat = digests.For(push, Recipient(Channel.WeChat, language), topics);

        var paper = issue.Papers.FirstOrDefault(p => p.Number == paperNumber) ?? issue.Papers.FirstOrDefault();
        var card = paper is null ? null : cards.Card(IssueOutline.Of(issue), paper, Phrases.For(language));
        return new ChannelPreview(
            Telegram(telegram),
            wechat.Count == 0 ? null : PreviewHtml.SanitizeWeChat(WeChatFormatter.Text(wechat)),
            card is null ? [] : Telegram([card]),
            card?.Card is { } paperCard ? WeChatFormatter.Article(paperCard, web.Value.PublicBaseUrl(request)) : null);
    }

    public ChannelPreview ForBroadcast(string text, string language)
    {
        var push = new Push { Kind = PushKind.Broadcast, Text = text, CreatedBy = AdminLogin.Actor };
        var messages = digests.For(push, Recipient(Channel.Telegram, language), new HashSet<string>());
        var wechat = digests.For(push, Recipient(Channel.WeChat, language), new HashSet<string>());
        return new ChannelPreview(Telegram(messages), PreviewHtml.SanitizeWeChat(WeChatFormatter.Text(wechat)), [], null);
    }

    public static IReadOnlyList<TelegramBubble> Telegram(IReadOnlyList<ReplyMessage> messages) =>
        messages.SelectMany(m => TelegramFormatter.Format(m)).Select(part => new TelegramBubble(
            PreviewHtml.Sanitize(part.Html),
            part.Keyboard?.InlineKeyboard.Select(row => (IReadOnlyList<PreviewButton>)row.Select(b => new PreviewButton(b.Text, b.Url)).ToList()).ToList() ?? []))
        .ToList();

    private static Recipient Recipient(Channel channel, string language) => new(0, channel, "preview", ChatKind.Private, language);

}
