using System.Globalization;
using System.Text;
using PaperBot.Xml;

namespace PaperBot.Core.Commands;

/// <summary>
/// Turns message text into a <see cref="Command"/>. Slash commands work everywhere; in private chats the same
/// words work without the slash, with their Chinese aliases, and a bare number means "paper N".
/// </summary>
public static class CommandParser
{
    public const int MaxTextLength = 4096;
    public const int MaxSearchLength = 100;

    private static readonly Dictionary<string, string> Words = new(StringComparer.OrdinalIgnoreCase)
    {
        ["start"] = "start",
        ["help"] = "help", ["帮助"] = "help",
        ["latest"] = "latest", ["最新"] = "latest",
        ["paper"] = "paper", ["论文"] = "paper",
        ["issue"] = "issue",
        ["issues"] = "issues", ["往期"] = "issues",
        ["search"] = "search", ["搜索"] = "search",
        ["topics"] = "topics", ["topic"] = "topics", ["话题"] = "topics",
        ["subscribe"] = "subscribe", ["订阅"] = "subscribe",
        ["unsubscribe"] = "unsubscribe", ["退订"] = "unsubscribe",
        ["lang"] = "lang", ["language"] = "lang", ["语言"] = "lang",
        ["status"] = "status", ["状态"] = "status",
        ["publish"] = "publish", ["发布"] = "publish",
        ["broadcast"] = "broadcast", ["广播"] = "broadcast",
        ["stats"] = "stats", ["统计"] = "stats",
        ["resend"] = "resend", ["重发"] = "resend",
        ["tag"] = "tag", ["标签"] = "tag",
        ["bib"] = "bib", ["bibtex"] = "bib", ["引用"] = "bib",
        ["send"] = "send", ["发送"] = "send",
        ["cancel"] = "cancel", ["取消"] = "cancel",
    };

    /// <summary>"搜索长上下文": Chinese command words whose argument is words, which Chinese users type without the space.</summary>
    private static readonly string[] GluedToWords = ["搜索"];

    private static readonly HashSet<string> ConfirmWords = new(StringComparer.OrdinalIgnoreCase) { "confirm", "确认" };

    private static readonly Dictionary<string, TopicAction> TopicActions = new(StringComparer.OrdinalIgnoreCase)
    {
        ["add"] = TopicAction.Add, ["添加"] = TopicAction.Add, ["加"] = TopicAction.Add, ["+"] = TopicAction.Add,
        ["remove"] = TopicAction.Remove, ["rm"] = TopicAction.Remove, ["删除"] = TopicAction.Remove, ["移除"] = TopicAction.Remove, ["-"] = TopicAction.Remove,
        ["clear"] = TopicAction.Clear, ["清空"] = TopicAction.Clear,
    };

    /// <param name="text">The message text.</param>
    /// <param name="privateChat">False in groups: only slash commands are answered there, and an unknown one only when addressed to this bot.</param>
    /// <param name="botUsername">This bot's Telegram username; "/cmd@Other" for another bot is ignored.</param>
    public static Command Parse(string? text, bool privateChat = true, string? botUsername = null)
    {
        var trimmed = XmlChars.WithoutIllegal(text ?? "").Trim();
        var slash = trimmed.Length > 0 && trimmed[0] is '/' or '\uFF0F'; // a Chinese keyboard's full-width slash too
        if (!slash && !privateChat)
            return new IgnoredMessage();
        if (trimmed.Length == 0)
            return new NotACommand("");
        if (trimmed.Length > MaxTextLength)
            return new BadCommand("", Problem.TooLong);

        var (word, rest) = SplitFirstWord(slash ? trimmed[1..] : trimmed);
        var addressed = false;
        if (slash)
        {
            var at = word.IndexOf('@', StringComparison.Ordinal);
            if (at >= 0)
            {
                var addressee = word[(at + 1)..];
                word = word[..at];
                if (botUsername is not null && !string.Equals(addressee, botUsername, StringComparison.OrdinalIgnoreCase))
                    return new IgnoredMessage();
                addressed = true;
            }
        }

        word = word.Normalize(NormalizationForm.FormKC);
        if (Words.TryGetValue(word, out var name))
            return Build(name, rest);
        if (SplitWordFromNumber(word) is var (glued, number) && Words.TryGetValue(glued, out var gluedName))
            return Build(gluedName, (number + " " + rest).Trim());
        if (GluedToWords.FirstOrDefault(w => word.StartsWith(w, StringComparison.Ordinal)) is { } wordsCommand)
            return Build(Words[wordsCommand], (word[wordsCommand.Length..] + " " + rest).Trim());
        // In a group "/roll" without a name is every bot's to read and most likely another bot's command.
        if (slash)
            return privateChat || addressed ? new UnknownCommand(word) : new IgnoredMessage();

        if (TryParseNumber(word, out var bare))
        {
            // "第2期" alone names an issue; "第2期 第4篇" and "4 2" are a paper of an issue, as after 论文.
            if (rest.Length == 0)
                return NamesIssue(word) ? new IssueCommand(bare) : new PaperCommand(bare, null);
            if (ParsePaper(trimmed) is PaperCommand paper)
                return paper;
        }

        return new NotACommand(trimmed);
    }

    private static Command Build(string name, string rest) => name switch
    {
        "start" => new StartCommand(rest.Length == 0 ? null : SplitFirstWord(rest).Word),
        "help" => new HelpCommand(),
        "latest" => new LatestCommand(),
        "paper" => ParsePaper(rest),
        "bib" => ParsePaper(rest, "bib") is PaperCommand paper ? new BibCommand(paper.Number, paper.IssueId) : ParsePaper(rest, "bib"),
        "tag" => ParseTag(rest),
        "issue" => ParseIssue(rest),
        "issues" => rest.Length == 0 ? new IssuesCommand() : ParseIssue(rest),
        "search" => rest.Length == 0 ? new BadCommand(name, Problem.MissingWords)
            : rest.Length > MaxSearchLength ? new BadCommand(name, Problem.TooLong)
            : new SearchCommand(rest),
        "topics" => ParseTopics(rest),
        "subscribe" => new SubscribeCommand(),
        "unsubscribe" => new UnsubscribeCommand(),
        "lang" => Languages(rest) is { } language ? new LangCommand(language) : new BadCommand(name, Problem.BadLanguage, rest),
        "status" => new StatusCommand(),
        "publish" => ParsePublish(rest),
        "broadcast" => rest.Length == 0 ? new BadCommand(name, Problem.MissingText) : new BroadcastCommand(rest),
        "stats" => new StatsCommand(),
        "resend" => rest.Length == 0 ? new BadCommand(name, Problem.MissingIssueNumber)
            : TryParseNumber(rest, out var resend) ? new ResendCommand(resend)
            : new BadCommand(name, Problem.NotAnIssueNumber, rest),
        "send" or "cancel" => TryParseNumber(rest, out var push) ? new BroadcastDecisionCommand(push, name == "send") : new BadCommand(name, Problem.MissingNumber),
        _ => new UnknownCommand(name),
    };

    private static string? Languages(string rest) => Subscribers.Languages.Parse(rest);

    private static Command ParsePaper(string rest, string name = "paper")
    {
        var args = rest.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (args.Length == 0)
            return new BadCommand(name, Problem.MissingNumber);
        // "第2期 第4篇": the issue marked as one comes first in Chinese word order.
        if (args.Length == 2 && NamesIssue(args[0]) && !NamesIssue(args[1]))
            args = [args[1], args[0]];
        if (!TryParseNumber(args[0], out var number))
            return new BadCommand(name, Problem.NotANumber, args[0]);
        // "论文 第2期" names an issue and no paper: its contents (which say how to open a paper), not paper 2.
        if (args.Length == 1 && NamesIssue(args[0]))
            return name == "paper" ? new IssueCommand(number) : new BadCommand(name, Problem.MissingNumber);
        if (args.Length == 1)
            return new PaperCommand(number, null);
        if (args.Length == 2 && TryParseNumber(args[1], out var issue))
            return new PaperCommand(number, issue);
        return new BadCommand(name, Problem.NotAnIssueNumber, string.Join(' ', args[1..]));
    }

    /// <summary>"4 +agents -code", "4 3 +智能体", "4 + agents": a paper, an optional issue, then topics to add (+) or remove (-).</summary>
    private static Command ParseTag(string rest)
    {
        var args = rest.Normalize(NormalizationForm.FormKC).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (args.Length == 0 || !TryParseNumber(args[0], out var number) || number < 1)
            return new BadCommand("tag", Problem.TagUsage);
        var next = 1;
        int? issue = null;
        if (args.Length > 1 && TryParseNumber(args[1], out var issueNumber))
        {
            issue = issueNumber;
            next = 2;
        }

        var add = new List<string>();
        var remove = new List<string>();
        for (var i = next; i < args.Length; i++)
        {
            var token = args[i];
            if (token is "+" or "-" && i + 1 < args.Length)
                token += args[++i];
            if (token.Length < 2 || token[0] is not ('+' or '-'))
                return new BadCommand("tag", Problem.TagUsage, token);
            (token[0] == '+' ? add : remove).Add(token[1..]);
        }

        return add.Count + remove.Count == 0 ? new BadCommand("tag", Problem.TagUsage) : new TagCommand(number, issue, add, remove);
    }

    /// <summary>"/publish" and "/publish 3" ask first; "/publish 3 confirm" (确认) is the answer, naming the issue it confirms.</summary>
    private static Command ParsePublish(string rest)
    {
        if (rest.Length == 0)
            return new PublishCommand(null);
        var (first, after) = SplitFirstWord(rest);
        if (!TryParseNumber(first, out var issue))
            return new BadCommand("publish", Problem.NotAnIssueNumber, rest);
        return after.Length == 0 ? new PublishCommand(issue)
            : ConfirmWords.Contains(after) ? new PublishDecisionCommand(issue, Publish: true)
            : new BadCommand("publish", Problem.NotAnIssueNumber, rest);
    }

    private static Command ParseIssue(string rest)
    {
        if (rest.Length == 0)
            return new IssueCommand(null);
        return TryParseNumber(rest, out var issue) ? new IssueCommand(issue) : new BadCommand("issue", Problem.NotAnIssueNumber, rest);
    }

    private static Command ParseTopics(string rest)
    {
        if (rest.Length == 0)
            return new TopicsCommand(TopicAction.Show);
        // Chinese keyboards type a full-width ＋ and full-width letters.
        var (word, topic) = SplitFirstWord(rest.Normalize(NormalizationForm.FormKC));
        if (word.Length > 1 && word[0] is '+' or '-')
            (word, topic) = (word[..1], (word[1..] + " " + topic).Trim());
        if (!TopicActions.TryGetValue(word, out var action))
            return new BadCommand("topics", Problem.UnknownTopicAction, word);
        if (action == TopicAction.Clear)
            return new TopicsCommand(TopicAction.Clear);
        return topic.Length == 0 ? new BadCommand("topics", Problem.MissingTopic, word) : new TopicsCommand(action, topic);
    }

    /// <summary>Accepts "4", "４", "#4", "4.", "第4期", "第4篇", and the same in Chinese numerals: "四", "第四篇", "第十二期", "一百零五".</summary>
    public static bool TryParseNumber(string token, out int number)
    {
        var normalized = token.Normalize(NormalizationForm.FormKC).Trim().TrimStart('#').TrimEnd('.', '。');
        if (normalized.StartsWith('第'))
            normalized = normalized[1..].TrimEnd('期', '篇');
        return int.TryParse(normalized, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out number)
            || TryParseChineseNumber(normalized, out number);
    }

    private const string ChineseDigits = "一二三四五六七八九";

    /// <summary>
    /// 1–999 written the way people write them: 四, 十, 十二, 二十, 九十九, 一百, 两百, 一百零五, 一百一十; 两 only before 百
    /// ("第两篇" is no one's Chinese). Anything else (四四, 十十, 四x) is no number.
    /// </summary>
    private static bool TryParseChineseNumber(string text, out int number)
    {
        number = 0;
        var rest = text.AsSpan();
        var hundreds = rest.IndexOf('百');
        if (hundreds >= 0)
        {
            if (hundreds != 1 || (rest[0] == '两' ? 2 : Digit(rest[0])) is not { } h)
                return false;
            number = 100 * h;
            rest = rest[2..];
            if (rest.IsEmpty)
                return true;
            if (rest[0] == '零')
            {
                if (rest.Length != 2 || Digit(rest[1]) is not { } ones)
                    return false;
                number += ones;
                return true;
            }

            // After 百 the tens need their digit: 一百一十, not 一百十.
            if (rest.Length < 2 || rest[1] != '十')
                return false;
        }

        var tens = rest.IndexOf('十');
        if (tens >= 0)
        {
            if (tens > 1 || tens == 1 && Digit(rest[0]) is null)
                return false;
            number += 10 * (tens == 0 ? 1 : Digit(rest[0])!.Value);
            rest = rest[(tens + 1)..];
            if (rest.IsEmpty)
                return true;
        }
        else if (hundreds >= 0)
        {
            return false;
        }

        if (rest.Length != 1 || Digit(rest[0]) is not { } digit)
            return false;
        number += digit;
        return true;
    }

    private static bool StartsChineseNumber(char c) => c is '第' or '十' or '两' || Digit(c) is not null;

    private static int? Digit(char c) => ChineseDigits.IndexOf(c) is var i and >= 0 ? i + 1 : null;

    /// <summary>"第2期": a number marked as an issue's.</summary>
    private static bool NamesIssue(string token) =>
        token.Normalize(NormalizationForm.FormKC).Trim().TrimEnd('.', '。').EndsWith('期');

    private static (string Word, string Remainder) SplitFirstWord(string text)
    {
        var end = 0;
        while (end < text.Length && !char.IsWhiteSpace(text[end]))
            end++;
        return (text[..end], text[end..].Trim());
    }

    /// <summary>"论文4", "论文四", "论文第四篇", "/paper4" → ("论文", …): readers rarely type the space.</summary>
    private static (string Word, string Number)? SplitWordFromNumber(string word)
    {
        var firstDigit = 0;
        while (firstDigit < word.Length && !char.IsDigit(word[firstDigit]) && !StartsChineseNumber(word[firstDigit]))
            firstDigit++;
        return firstDigit > 0 && firstDigit < word.Length ? (word[..firstDigit], word[firstDigit..]) : null;
    }
}
