using PaperBot.Core.Subscribers;

namespace PaperBot.Web;

/// <summary>The public site's language: ?lang=en switches and is remembered in a cookie; otherwise the browser's language.</summary>
public static class SiteLanguage
{
    public const string CookieName = "paperbot_lang";

    public static string Of(HttpContext http)
    {
        if (Languages.Parse(http.Request.Query["lang"]) is { } chosen)
        {
            http.Response.Cookies.Append(CookieName, chosen, new CookieOptions { MaxAge = TimeSpan.FromDays(365), SameSite = SameSiteMode.Lax, HttpOnly = true });
            return chosen;
        }

        if (Remembered(http) is { } remembered)
            return remembered;
        var accept = http.Request.Headers.AcceptLanguage.ToString();
        return accept.Length == 0 ? Languages.Chinese : Languages.FromClient(accept);
    }

    /// <summary>This page in <paramref name="language"/>: its query as it is (a search stays a search) with lang= set.</summary>
    public static string SwitchLink(HttpRequest request, string language) =>
        QueryString.Create(request.Query.Where(p => p.Key != "lang")
            .SelectMany(p => p.Value.Select(value => KeyValuePair.Create(p.Key, value)))
            .Append(KeyValuePair.Create("lang", (string?)language))).ToUriComponent();

    /// <summary>The language the visitor chose with ?lang= on an earlier page; null when they never did.</summary>
    public static string? Remembered(HttpContext http) => Languages.Parse(http.Request.Cookies[CookieName]);
}

/// <summary>The public site's words, both languages side by side.</summary>
public sealed class SiteText(string language)
{
    public string Language { get; } = language;

    public bool English => Language == Languages.English;

    private string Say(string chinese, string english) => English ? english : chinese;

    public string Tagline => Say("每周精选 AI 研究论文,推送到 Telegram 与微信公众号。", "A weekly selection of AI research papers, pushed to Telegram and WeChat.");
    public string Archive => Say("往期", "Archive");
    public string Latest => Say("最新一期", "Latest issue");
    public string Console => Say("在线体验", "Try the bot");
    public string ConsoleIntro => Say("这里和 Telegram、微信里的机器人是同一个:试试 /latest、/paper 4、/search 长上下文、/topics。", "This is the same bot as on Telegram and WeChat: try /latest, /paper 4, /search long context, /topics.");
    public string Send => Say("发送", "Send");
    public string Search => Say("搜索", "Search");
    public string SearchPlaceholder => Say("搜索论文:标题、摘要、arXiv 编号、话题", "Search papers: title, summary, arXiv id, topic");
    public string Results(int total, string query) => Say($"“{query}”共 {total} 篇", $"{total} papers match “{query}”");
    public string NoResults(string query) => Say($"没有找到与“{query}”相关的论文。", $"No paper matches “{query}”.");
    public string Issue(int id) => Say($"第 {id} 期", $"Issue {id}");
    public string Papers(int count) => Say($"{count} 篇论文", count == 1 ? "1 paper" : $"{count} papers");
    public string Paper => Say("论文", "Paper");
    public string Code => Say("代码", "Code");
    public string Project => Say("项目主页", "Project");
    public string Topics => Say("话题", "Topics");
    public string ReadArticle => Say("阅读原文", "Read the article");
    public string Abstract => Say("英文摘要(arXiv)", "Abstract (arXiv)");
    public string TopicGuide => Say("订阅时可按话题筛选,每个话题包含:", "Subscribers can filter by topic; each covers:");
    public string NoIssues => Say("还没有发布任何一期。", "No issue has been published yet.");
    public string NotFoundTitle => Say("没有找到这一页", "Page not found");
    public string NotFound => Say("没有找到这一页。", "This page does not exist.");
    public string BackHome => Say("返回首页", "Back to the home page");
    public string BackToIssue => Say("返回本期", "Back to the issue");
    public string Previous => Say("上一篇", "Previous");
    public string Next => Say("下一篇", "Next");
    public string Subscribe => Say("订阅:在 Telegram 中向机器人发送 /start,或关注微信公众号。", "Subscribe: send /start to the bot on Telegram, or follow the WeChat Official Account.");
    public string Feed => Say("RSS 订阅", "Atom feed");
    public string Admin => Say("管理", "Admin");
    public string SwitchLanguage => Say("English", "中文");
    public string SwitchLanguageCode => Say("en", "zh");
}
