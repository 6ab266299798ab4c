using PaperBot.Core.Publishing;
using PaperBot.Core.Sending;
using PaperBot.Core.Stats;
using PaperBot.Core.Subscribers;

namespace PaperBot.Core.Commands;

/// <summary>Every sentence the bot says, in Chinese and English side by side.</summary>
public sealed class Phrases(string language)
{
    private readonly bool zh = language != Languages.English;

    public static Phrases For(string language) => new(language);

    public string Language => zh ? Languages.Chinese : Languages.English;

    private string Say(string chinese, string english) => zh ? chinese : english;

    // What the reader typed comes back at most this long: a 4,000-character word must not become a reply Telegram splits.
    private static string Echo(string typed) => typed.Length <= 30 ? typed : typed[..30] + "…";

    public IReadOnlyList<(string Command, string Description)> UserCommands =>
    [
        ("/latest", Say("最新一期的目录", "contents of the newest issue")),
        ("/paper N [ISSUE]", Say("查看第 N 篇论文,例如 /paper 4", "paper N, e.g. /paper 4")),
        ("/issue [ISSUE]", Say("某一期的目录", "one issue's contents")),
        ("/issues", Say("往期列表", "the archive")),
        ("/search WORDS", Say("搜索所有期的论文,例如 /search 长上下文", "search all issues, e.g. /search long context")),
        ("/bib N [ISSUE]", Say("第 N 篇论文的 BibTeX 引用", "paper N's BibTeX entry")),
        ("/topics", Say("话题筛选:add / remove / clear", "your topic filter: add / remove / clear")),
        ("/subscribe", Say("订阅每周推送", "get the weekly push")),
        ("/unsubscribe", Say("退订", "stop the weekly push")),
        ("/status", Say("我的订阅状态", "your subscription")),
        ("/lang zh|en", Say("回复语言", "reply language")),
        ("/help", Say("显示本帮助", "this help")),
    ];

    public IReadOnlyList<(string Command, string Description)> AdminCommands =>
    [
        ("/publish [ISSUE]", Say("向订阅者发布一期(先预览,确认后发送)", "publish an issue to subscribers (previewed, then confirmed)")),
        ("/broadcast TEXT", Say("向所有订阅者发送公告", "announce to all subscribers")),
        ("/stats", Say("订阅与推送统计", "subscriber and delivery numbers")),
        ("/resend ISSUE", Say("把某一期发送失败或未发出的推送重新排队", "queue an issue's failed and unsent deliveries again")),
        ("/tag N +TOPIC -TOPIC", Say("修改最新一期第 N 篇的话题(可加期号:/tag N 期号 +话题)", "correct paper N's topics in the newest issue (or /tag N ISSUE +TOPIC)")),
    ];

    public string HelpTitle => Say("PaperBot · 每周 AI 论文速递", "PaperBot · the weekly AI paper digest");
    public string HelpAliases => Say("在微信里不用加 /,也可以用中文:最新、论文 4、引用 4、往期、搜索 长上下文、话题、订阅、退订、帮助。直接发数字 4 即可查看第 4 篇。",
        "Without the slash works too, and so do the Chinese words: 最新, 论文 4, 引用 4, 往期, 搜索, 话题, 订阅, 退订, 帮助. A bare number such as 4 opens paper 4.");
    public string AdminSection => Say("管理员命令:", "Admin commands:");

    public string Welcome => Say("欢迎订阅 PaperBot!每周精选的 AI 论文会推送给你。", "Welcome to PaperBot! Each week's selection of AI papers will be pushed to you.");
    public string WelcomeBack => Say("欢迎回来!你已重新订阅,之前的话题设置仍然有效。", "Welcome back! You are subscribed again, with the topics you chose before.");
    public string WelcomeHint => Say("试试 /latest 看本期目录,/paper 4 看第 4 篇,/topics 只接收你关心的话题。", "Try /latest for this week's contents, /paper 4 for paper 4, /topics to receive only what you care about.");
    public string Subscribed => Say("已订阅。每期发布时会推送给你。", "Subscribed. Each new issue will be pushed to you.");
    public string AlreadySubscribed => Say("你已经订阅了。", "You are already subscribed.");
    public string PushesToThisTopic => Say("每期会推送到这个话题。在别的话题里发送 /subscribe 可以改到那里。",
        "Each issue will arrive in this topic. Send /subscribe in another topic to move it there.");
    public string PushesToGeneral => Say("每期会推送到 General。在某个话题里发送 /subscribe,就会改为推送到那个话题。",
        "Each issue will arrive in General. Send /subscribe in a topic to get it there instead.");
    public string AnswerInGeneral(bool pushesToo) => pushesToo
        ? Say("这个话题已关闭,机器人无法在里面发言,所以在 General 回复。在话题重新开启、并在那里再次发送 /subscribe 之前,每期都会推送到 General。",
            "This topic is closed, so the bot cannot post in it and answers in General. Issues will arrive in General until the topic is reopened and /subscribe is sent there again.")
        : Say("这个话题已关闭,机器人无法在里面发言,所以在 General 回复。", "This topic is closed, so the bot cannot post in it and answers in General.");
    public string Unsubscribed => Say("已退订,不会再收到推送。你的话题设置会保留,发送 /subscribe 可重新订阅。", "Unsubscribed: no more pushes. Your topics are kept; /subscribe brings you back.");
    public string NotSubscribed => Say("你目前没有订阅。发送 /subscribe 订阅。", "You are not subscribed. Send /subscribe to subscribe.");
    public string LanguageSet => Say("好的,之后用中文回复。", "OK, I will reply in English.");
    public string WebCannotSubscribe => Say("网页控制台无法接收推送。请在 Telegram 或微信公众号中订阅;在这里你可以浏览、搜索并设置话题。",
        "The web console cannot receive pushes. Subscribe on Telegram or the WeChat Official Account; here you can browse, search and try the topic filter.");

    /// <summary>The link to the issue's WeChat article, where every channel points once it is published.</summary>
    public string ReadArticle => Say("📖 阅读原文", "📖 Read the article");
    public string NoIssueYet => Say("还没有发布任何一期。", "No issue has been published yet.");
    public string IssueNotFound(int id) => Say($"没有第 {id} 期。发送 /issues 查看往期。", $"There is no issue {id}. /issues lists the archive.");
    // "command" is the word the reader used (paper, bib): the hint repeats it. An issue the reader named is repeated too,
    // since "/paper 1" alone opens the newest issue's paper.
    public string PaperOutOfRange(string command, int number, int count, int? issueId = null) => issueId is { } id
        ? Say($"第 {id} 期共有论文 1–{count} 篇,没有第 {number} 篇。试试 /{command} 1 {id} 到 /{command} {count} {id}。", $"Issue {id} has papers 1–{count}; there is no paper {number}. Try /{command} 1 {id} to /{command} {count} {id}.")
        : Say($"本期共有论文 1–{count} 篇,没有第 {number} 篇。试试 /{command} 1 到 /{command} {count}。", $"This issue has papers 1–{count}; there is no paper {number}. Try /{command} 1 to /{command} {count}.");
    public string PaperMissingNumber(string command, int count) => count > 0
        ? Say($"请给出论文编号,例如 /{command} 4(本期有 1–{count} 篇)。", $"Give a paper number, e.g. /{command} 4 (this issue has papers 1–{count}).")
        : Say($"请给出论文编号,例如 /{command} 4。", $"Give a paper number, e.g. /{command} 4.");
    public string PaperNotANumber(string command, string argument, int count) => count > 0
        ? Say($"“{Echo(argument)}”不是论文编号。发送 /{command} N,N 为 1–{count},例如 /{command} 4。", $"“{Echo(argument)}” is not a paper number. Send /{command} N with N from 1 to {count}, e.g. /{command} 4.")
        : Say($"“{Echo(argument)}”不是论文编号。发送 /{command} N,例如 /{command} 4。", $"“{Echo(argument)}” is not a paper number. Send /{command} N, e.g. /{command} 4.");
    public string NotAnIssueNumber(string argument) => Say($"“{Echo(argument)}”不是期号。期号是数字,例如 /issue 1;/issues 列出往期。", $"“{Echo(argument)}” is not an issue number. Issue numbers are numbers, e.g. /issue 1; /issues lists them.");
    public string IssueHeading(int id, DateTimeOffset? publishedAt) => Say($"第 {id} 期", $"Issue {id}") + (publishedAt is { } at ? $" · {at:yyyy-MM-dd}" : "");
    public string Draft => Say("草稿", "draft");
    public string Scheduled => Say("待发布", "scheduled");
    /// <param name="issueId">The issue, when it need not be the newest: "/paper N" alone opens the newest issue's paper N.</param>
    public string ContentsHint(int? issueId) => issueId is { } id
        ? Say($"点击编号或发送 /paper N {id} 查看详情。", $"Tap a number or send /paper N {id} for details.")
        : Say("点击编号或发送 /paper N 查看详情。", "Tap a number or send /paper N for details.");
    public string PaperCount(int count) => Say($"{count} 篇", count == 1 ? "1 paper" : $"{count} papers");
    public string ArchiveTitle => Say("往期", "Archive");
    public string ArchiveHint => Say("点击查看某一期,或发送 /issue N。", "Tap an issue or send /issue N.");
    public string Topics => Say("话题", "Topics");
    public string PaperLink => Say("📄 论文", "📄 Paper");
    public string CodeLink => Say("💻 代码", "💻 Code");
    public string ProjectLink => Say("🌐 项目主页", "🌐 Project");

    public string SearchMissingWords => Say("请给出搜索词,例如 /search 长上下文。", "Give some words to search for, e.g. /search long context.");
    public string SearchTooLong => Say($"搜索词太长了(最多 {CommandParser.MaxSearchLength} 个字符)。", $"That search is too long (at most {CommandParser.MaxSearchLength} characters).");
    public string SearchResults(string words, int count, int shown) => Say($"“{words}”共找到 {count} 篇论文" + (count > shown ? $",显示前 {shown} 篇:" : ":"), $"{count} papers match “{words}”" + (count > shown ? $"; the first {shown}:" : ":"));
    public string SearchHint(int issueId, int number) => Say($"点击编号,或发送 /paper 编号 期号,例如 /paper {number} {issueId}。", $"Tap one or send /paper N ISSUE, e.g. /paper {number} {issueId}.");
    public string SearchNothing(string words) => Say($"没有找到与“{words}”相关的论文。换个词试试,或用 /topics 查看话题。", $"No paper matches “{words}”. Try other words, or see /topics.");

    public string TopicFilterAll => Say("你的话题筛选:全部话题(每篇论文都会推送给你)。", "Your topic filter: all topics (you receive every paper).");
    public string TopicFilter(string names) => Say($"你的话题筛选:{names}", $"Your topic filter: {names}");
    public string TopicPreview(int matched, int total, string numbers) => Say($"按此筛选,最新一期 {total} 篇中有 {matched} 篇会推送给你" + (matched > 0 ? $":{numbers}。" : "。"), $"With it, {matched} of the {total} papers of the newest issue would reach you" + (matched > 0 ? $": {numbers}." : "."));
    public string TopicHelp => Say("点击话题可添加或移除;也可以发送 /topics add 话题、/topics remove 话题、/topics clear。", "Tap a topic to add or remove it, or send /topics add TOPIC, /topics remove TOPIC, /topics clear.");
    public string ClearTopicsButton => Say("清空(全部话题)", "Clear (all topics)");
    public string TopicAdded(string name) => Say($"已添加话题:{name}", $"Added topic: {name}");
    public string TopicRemoved(string name) => Say($"已移除话题:{name}", $"Removed topic: {name}");
    public string TopicAlreadyAdded(string name) => Say($"话题“{name}”已在你的筛选中。", $"“{name}” is already in your filter.");
    public string TopicNotInFilter(string name) => Say($"话题“{name}”不在你的筛选中。", $"“{name}” is not in your filter.");
    public string TopicsCleared => Say("已清空话题筛选,你会收到每一篇论文。", "Topic filter cleared: you will receive every paper.");
    public string UnknownTopic(string topic, string available) => Say($"没有“{Echo(topic)}”这个话题。可选:{available}", $"There is no topic “{Echo(topic)}”. Available: {available}");
    public string TopicUsage => Say("用法:/topics、/topics add 话题、/topics remove 话题、/topics clear。", "Usage: /topics, /topics add TOPIC, /topics remove TOPIC, /topics clear.");
    public string TopicGuide => Say("各话题的含义:", "What each topic covers:");
    public string NoTopic => Say("无", "none");
    public string TagUsage => Say("用法:/tag 论文编号 [期号] +话题 -话题,例如 /tag 4 +agents -code(默认最新导入的一期)。", "Usage: /tag N [ISSUE] +TOPIC -TOPIC, e.g. /tag 4 +agents -code (the newest imported issue unless ISSUE is given).");
    public string TopicsCorrected(int issueId, int number, string topics, string before) => Say($"第 {issueId} 期第 {number} 篇的话题:{topics}(原为:{before})。重新导入和重新打标签都会保留这一修改。", $"Issue {issueId} paper {number} topics: {topics} (were: {before}). Re-imports and re-tagging keep this correction.");
    public string TopicsUnchanged(int issueId, int number, string topics) => Say($"第 {issueId} 期第 {number} 篇的话题已经是:{topics},没有改动。", $"Issue {issueId} paper {number} already has these topics: {topics}. Nothing changed.");
    public string PaperNotInIssue(int issueId, int number, int count) => Say($"第 {issueId} 期共有论文 1–{count} 篇,没有第 {number} 篇。", $"Issue {issueId} has papers 1–{count}; there is no paper {number}.");
    public string BibNoArxiv(int number) => Say($"第 {number} 篇没有 arXiv 链接,无法生成 BibTeX。", $"Paper {number} has no arXiv link, so there is no BibTeX entry.");
    public string BibUnknownToArxiv(int number, string arxivId) => Say($"arXiv 上查不到第 {number} 篇的编号 {arxivId}(链接可能有误),无法生成 BibTeX。", $"arXiv has no paper {arxivId} (paper {number}'s link may be wrong), so there is no BibTeX entry.");
    public string BibNotYet(int number, string arxivId) => Say($"第 {number} 篇(arXiv {arxivId})的元数据还没从 arXiv 取回,稍后再试。", $"The arXiv metadata of paper {number} (arXiv {arxivId}) has not arrived yet; try again later.");
    public string EtAl => Say(" 等", " et al.");
    public string MissingTopic => Say("请给出话题,例如 /topics add long-context。", "Name a topic, e.g. /topics add long-context.");

    public string BadLanguage => Say("用法:/lang zh 或 /lang en。", "Usage: /lang zh or /lang en.");
    public string TooLong => Say($"消息太长了(最多 {CommandParser.MaxTextLength} 个字符)。", $"That message is too long (at most {CommandParser.MaxTextLength} characters).");
    public string ExpiredButton => Say("这个按钮已失效。发送 /latest 查看最新一期。", "That button has expired. Send /latest for the newest issue.");
    public string UnknownCommand(string word) => Say($"未知命令 /{Echo(word)}。发送 /help 查看可用命令。", $"Unknown command /{Echo(word)}. /help lists what I can do.");
    public string NotUnderstood(string text) => Say($"没看懂“{Echo(text)}”。试试 /latest、/paper 4,或 /search {Echo(text)}。", $"I did not understand “{Echo(text)}”. Try /latest, /paper 4, or /search {Echo(text)}.");
    public string NotUnderstoodEmpty => Say("发送 /help 查看可用命令。", "Send /help to see what I can do.");
    public string TextOnly => Say("我只读得懂文字消息。发送 /paper 4 查看第 4 篇论文,或发送 /help 查看可用命令。", "I only read text messages. Send /paper 4 for paper 4, or /help to see what I can do.");

    public string StatusSubscribed => Say("订阅状态:已订阅", "Subscription: active");
    public string StatusNotSubscribed => Say("订阅状态:未订阅(发送 /subscribe 订阅)", "Subscription: not subscribed (send /subscribe)");
    public string StatusBlocked => Say("订阅状态:已暂停", "Subscription: paused");
    public string StatusLastDelivery(string what, string status, DateTimeOffset? at) => Say($"上次推送:{what} · {status}", $"Last delivery: {what} · {status}") + (at is { } t ? $" · {t:yyyy-MM-dd HH:mm} UTC" : "");
    public string DeliveryState(DeliveryStatus status) => status switch
    {
        DeliveryStatus.Sent => Say("已送达", "sent"),
        DeliveryStatus.Skipped => Say("已跳过", "skipped"),
        DeliveryStatus.Blocked => Say("无法送达", "could not reach you"),
        DeliveryStatus.Failed => Say("发送失败", "failed"),
        DeliveryStatus.Waiting => Say("等你下次发消息时送上", "waiting for your next message"),
        _ => Say("排队中", "queued"),
    };
    public string StatusNoDelivery => Say("上次推送:暂无", "Last delivery: none yet");
    public string StatusNextPush(DateTimeOffset at, string zone) => Say($"下次推送:{at:yyyy-MM-dd HH:mm}({zone})", $"Next push: {at:yyyy-MM-dd HH:mm} ({zone})");
    public string StatusNoNextPush => Say("下次推送:未安排", "Next push: not scheduled");
    public string Broadcast => Say("公告", "announcement");

    public string DigestHeading(int id, string title) => Say($"📬 第 {id} 期 · {title}", $"📬 Issue {id} · {title}");
    public string DigestAll(int count) => Say($"本期共 {count} 篇论文:", $"This week's {count} papers:");
    public string DigestFiltered(int matched, int total, string topics) => Say($"按你的话题({topics})从 {total} 篇中选出 {matched} 篇:", $"{matched} of {total} papers match your topics ({topics}):");
    public string DigestFilteredOut(int count) => Say($"另有 {count} 篇不在你的话题中:发送 /topics 修改筛选,/latest 查看全部。", $"{count} more are outside your topics: /topics changes the filter, /latest shows them all.");
    public string DigestHint => Say("点击编号或发送 /paper N 阅读摘要。", "Tap a number or send /paper N for the summary.");
    public string BroadcastHeading => Say("📢 公告", "📢 Announcement");

    public string AdminOnly => Say("这个命令只对管理员开放。", "This command is for admins only.");
    public string AdminNeedsSignedMessages => Say(
        "管理员命令只在安全模式(或兼容模式)下受理:明文模式的签名不覆盖消息内容,任何人都可能冒充。请在公众号后台把消息加解密方式改为安全模式,并设置 WeChat__EncodingAesKey。",
        "Admin commands are accepted only in safe (or compatible) mode: plain mode's signature does not cover the message, so anyone could pose as you. Switch the account's message encryption to safe mode and set WeChat__EncodingAesKey.");
    public string GroupAdminsOnly => Say("只有本群的管理员可以更改本群的订阅、话题和语言设置。", "Only this group's administrators can change its subscription, topics and language.");
    public string AdminAnswersPrivately(string? botUsername) => Say(
        $"管理员命令的回复会私信给你,但我还不能给你发私信:请先打开与 {(botUsername is null ? "我" : "@" + botUsername)} 的私聊并点击“开始”,然后再试一次。",
        $"Admin answers go to you privately, but I cannot write to you yet: open a private chat with {(botUsername is null ? "me" : "@" + botUsername)}, press Start, then ask again.");
    public string PublishPreview(int id, string title, int recipients) => Say($"📤 发布第 {id} 期 · {title}?将推送给 {recipients} 位订阅者。", $"📤 Publish issue {id} · {title}? It goes to {recipients} subscribers.");
    public string PublishConfirmHint(int id) => Say($"点击发布,或回复 /publish {id} 确认;不确认则什么也不会发送。", $"Tap Publish, or reply /publish {id} confirm; nothing is sent otherwise.");
    public string PublishButton(int recipients) => Say($"✅ 发布给 {recipients} 人", $"✅ Publish to {recipients}");
    public string PublishCancelled(int id) => Say($"第 {id} 期未发布。", $"Issue {id} was not published.");
    public string NothingToPublish => Say("没有待发布的期:所有期都已发布。先导入新的一期。", "Nothing to publish: every issue is already published. Import a new one first.");
    public string AlreadyPublished(int id, DateTimeOffset at) => Say($"第 {id} 期已于 {at:yyyy-MM-dd HH:mm} UTC 发布。", $"Issue {id} was already published on {at:yyyy-MM-dd HH:mm} UTC.");
    public string Resent(int id, int deliveries) => Say($"第 {id} 期:{deliveries} 条发送失败或未发出的推送已重新排队。", $"Issue {id}: {deliveries} failed or unsent deliveries queued again.");

    public string NothingToResend(int id) => Say($"第 {id} 期没有需要重发的推送:每位订阅者都已收到或无法送达。", $"Nothing to resend for issue {id}: every subscriber has it or cannot be reached.");

    public string NotPublishedYet(int id) => Say($"第 {id} 期还没有发布;先用 /publish {id} 发布。", $"Issue {id} is not published yet; /publish {id} first.");

    public string ResendUsage => Say("请给出期号,例如 /resend 3。", "Give an issue number, e.g. /resend 3.");

    public string Published(int id, int recipients) => Say($"第 {id} 期已发布,正在推送给 {recipients} 位订阅者。", $"Issue {id} published; sending to {recipients} subscribers.");
    public string EstimatedTime(Estimate estimate) => estimate.Duration is { } duration
        ? Say($"预计用时 {Durations.Format(duration)}(每秒 {estimate.MessagesPerSecond:0.#} 条)。", $"About {Durations.Format(duration)} at {estimate.MessagesPerSecond:0.#} msg/s.")
        : Say("不限速发送。", "Sending without a rate limit.");
    public string Progress(Progress progress) => Say(
        $"进度 {progress.Percent}%:已发送 {progress.Ledger.Sent} · 跳过 {progress.Ledger.Skipped} · 已屏蔽 {progress.Ledger.Blocked} · 失败 {progress.Ledger.Failed} · 剩余 {progress.Ledger.Pending}",
        $"Progress {progress.Percent}%: sent {progress.Ledger.Sent} · skipped {progress.Ledger.Skipped} · blocked {progress.Ledger.Blocked} · failed {progress.Ledger.Failed} · remaining {progress.Ledger.Pending}")
        + (progress.Ledger.Waiting > 0 ? Say($" · 待下次互动 {progress.Ledger.Waiting}", $" · waiting for their next message {progress.Ledger.Waiting}") : "")
        + (progress.MessagesPerSecond > 0 ? Say($" · 每秒 {progress.MessagesPerSecond:0.#} 条", $" · {progress.MessagesPerSecond:0.#} msg/s") : "")
        + (progress.Remaining is { } left && progress.Ledger.Pending > 0 ? Say($" · 预计还需 {Durations.Format(left)}", $" · ETA {Durations.Format(left)}") : "")
        + (progress.Ledger.Pending == 0 ? Say(" · 已完成 ✅", " · done ✅") : "");
    public string MostFailures(PushReason reason) => Say(
        $"失败最多的原因({reason.Deliveries} 条):{reason.Reason ?? "未记录"}", $"Most failures ({reason.Deliveries}): {reason.Reason ?? "no reason recorded"}");
    public string ProgressTitle(PushLedger ledger) => ledger.Kind == PushKind.Issue
        ? Say($"📤 第 {ledger.IssueId} 期推送", $"📤 Issue {ledger.IssueId} push")
        : Say("📢 公告推送", "📢 Announcement push");
    public string BroadcastPreview(int recipients) => Say($"📢 公告预览,将发送给 {recipients} 位订阅者:", $"📢 Announcement preview, for {recipients} subscribers:");
    public string BroadcastConfirmHint(int pushId) => Say($"点击发送,或回复 /send {pushId};回复 /cancel {pushId} 放弃。", $"Tap Send, or reply /send {pushId}; /cancel {pushId} drops it.");
    public string BroadcastSendButton(int recipients) => Say($"✅ 发送给 {recipients} 人", $"✅ Send to {recipients}");
    public string BroadcastCancelButton => Say("✖ 取消", "✖ Cancel");
    public string BroadcastCancelled => Say("公告已取消,未发送。", "Announcement dropped; nothing was sent.");
    public string BroadcastNotADraft(int pushId) => Say($"没有待确认的公告 {pushId}(可能已发送或已取消)。", $"There is no announcement {pushId} waiting for confirmation (already sent or dropped).");
    public string BroadcastDecisionUsage => Say("用法:/send 编号 或 /cancel 编号(编号见公告预览)。", "Usage: /send ID or /cancel ID (the ID is in the announcement preview).");
    public string BroadcastMissingText => Say("用法:/broadcast 公告内容", "Usage: /broadcast TEXT");
    public string BroadcastQueued(int recipients) => Say($"公告已排队,将发送给 {recipients} 位订阅者。", $"Announcement queued for {recipients} subscribers.");
}
