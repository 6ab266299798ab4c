using PaperBot.Core.Commands;
using PaperBot.Core.Subscribers;

namespace PaperBot.Channels.WeChat;

/// <summary>The few sentences only the WeChat channel says, in Chinese and English.</summary>
public sealed class WeChatPhrases(string language)
{
    private readonly bool zh = language != Languages.English;

    public static WeChatPhrases For(string language) => new(language);

    public string TextOnly => Say("我只读得懂文字消息。发送「论文 4」查看第 4 篇论文,或发送「帮助」查看可用命令。",
        "I only read text messages. Send paper 4 (or 论文 4) for paper 4, or help to see what I can do.");

    /// <summary>Offers an issue the subscriber has not been sent: an unverified account cannot push it.</summary>
    public string IssueOffer(int issueId, string title) =>
        $"{Phrases.For(Language).DigestHeading(issueId, title)}\n" + Say("新一期已发布,回复「最新」查看目录。", "A new issue is out: reply latest (or 最新) to see it.");

    /// <summary>Names waiting issues older than the newest published (newest first), and how to open them.</summary>
    /// <param name="also">The reply already shows or offers another issue.</param>
    public string MissedIssues(IReadOnlyList<int> issueIds, bool also)
    {
        const int named = 5;
        var more = issueIds.Count - named;
        return zh
            ? $"你{(also ? "还" : "")}错过了{string.Join("、", issueIds.Take(named).Select(id => $"第 {id} 期"))}" + (more > 0 ? $"等 {issueIds.Count} 期" : "")
                + $"。回复「往期 {issueIds[0]}」查看,回复「往期」查看全部。"
            : $"You {(also ? "also " : "")}missed issue{(issueIds.Count > 1 ? "s" : "")} {string.Join(", ", issueIds.Take(named))}" + (more > 0 ? $" and {more} more" : "")
                + $": reply issue {issueIds[0]} (or 往期 {issueIds[0]}) to see it, issues (or 往期) for all.";
    }

    /// <summary>An announcement, or the piece of a long one that fits in this reply.</summary>
    /// <param name="continued">Earlier pieces were shown with earlier replies.</param>
    /// <param name="more">The rest comes with the reply to the next message.</param>
    public string AnnouncementOffer(string text, bool continued = false, bool more = false) =>
        Phrases.For(Language).BroadcastHeading + (continued ? Say("(续)", " (continued)") : "") + "\n" + text
        + (more ? "\n" + Say("(未完,发送任意消息查看后续)", "(to be continued: send any message for the rest)") : "");

    private string Language => zh ? Languages.Chinese : Languages.English;

    private string Say(string chinese, string english) => zh ? chinese : english;
}
