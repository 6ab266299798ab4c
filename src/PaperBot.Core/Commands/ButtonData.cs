namespace PaperBot.Core.Commands;

/// <summary>
/// The data carried by buttons, kept short because Telegram allows 64 bytes of callback_data:
/// <c>p:ISSUE:N</c> open a paper, <c>n:ISSUE:N</c> page to a paper in place, <c>i:ISSUE</c> an issue's contents,
/// <c>t:SLUG</c> toggle a topic, <c>tc</c> clear topics, <c>s:on</c>/<c>s:off</c> subscription,
/// <c>b:ok:PUSH</c>/<c>b:no:PUSH</c> send or drop a previewed announcement, <c>u:ok:ISSUE</c>/<c>u:no:ISSUE</c> publish
/// a previewed issue or not.
/// </summary>
public static class ButtonData
{
    public static string OpenPaper(int issueId, int number) => $"p:{issueId}:{number}";

    public static string PagePaper(int issueId, int number) => $"n:{issueId}:{number}";

    public static string Contents(int issueId) => $"i:{issueId}";

    public static string ToggleTopic(string slug) => $"t:{slug}";

    public static string SendBroadcast(int pushId) => $"b:ok:{pushId}";

    public static string CancelBroadcast(int pushId) => $"b:no:{pushId}";

    public static string Publish(int issueId) => $"u:ok:{issueId}";

    public static string DontPublish(int issueId) => $"u:no:{issueId}";

    public const string ClearTopics = "tc";
    public const string Subscribe = "s:on";
    public const string Unsubscribe = "s:off";

    public static Command Parse(string data)
    {
        var parts = data.Split(':');
        return parts switch
        {
            ["p", var issue, var number] when int.TryParse(issue, out var i) && int.TryParse(number, out var n) => new PaperCommand(n, i),
            ["n", var issue, var number] when int.TryParse(issue, out var i) && int.TryParse(number, out var n) => new PaperCommand(n, i, Navigate: true),
            ["i", var issue] when int.TryParse(issue, out var i) => new IssueCommand(i),
            ["t", var slug] when slug.Length > 0 => new TopicsCommand(TopicAction.Toggle, slug, FromButton: true),
            ["tc"] => new TopicsCommand(TopicAction.Clear, FromButton: true),
            ["s", "on"] => new SubscribeCommand(),
            ["s", "off"] => new UnsubscribeCommand(),
            ["b", "ok", var push] when int.TryParse(push, out var p) => new BroadcastDecisionCommand(p, Send: true),
            ["b", "no", var push] when int.TryParse(push, out var p) => new BroadcastDecisionCommand(p, Send: false),
            ["u", "ok", var issue] when int.TryParse(issue, out var i) => new PublishDecisionCommand(i, Publish: true),
            ["u", "no", var issue] when int.TryParse(issue, out var i) => new PublishDecisionCommand(i, Publish: false),
            _ => new BadCommand("", Problem.ExpiredButton),
        };
    }
}
