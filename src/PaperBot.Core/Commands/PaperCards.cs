using System.Globalization;
using PaperBot.Core.Issues;
using PaperBot.Core.Topics;

namespace PaperBot.Core.Commands;

/// <summary>The messages that show issues and papers, shared by replies and pushes.</summary>
public sealed class PaperCards(TopicCatalog catalog)
{
    public ReplyMessage Card(IssueOutline issue, Paper paper, Phrases say, bool replacesOriginal = false)
    {
        var topics = TopicsOf(paper);
        var message = new MessageBuilder().Bold($"{paper.Number}. {paper.Title}").EndLine();
        if (paper.EnglishTitle is { } englishTitle)
            message.Line(englishTitle);
        if (paper.Authors.Count > 0)
            message.Line(Authors(paper.Authors, say));
        message.BlankLine();
        foreach (var paragraph in paper.Summary.Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            message.Line(paragraph).BlankLine();
        if (topics.Count > 0)
            message.Line($"{say.Topics}:" + string.Join(" · ", topics.Select(t => t.Name(say.Language))));
        if (paper.PaperUrl is { } paperUrl)
            message.Link(paper.ArxivId is { } arxiv ? $"arXiv {arxiv}" : say.PaperLink, paperUrl).EndLine();
        if (paper.CodeUrl is { } codeUrl)
            message.Link(say.CodeLink, codeUrl).EndLine();
        if (paper.ProjectUrl is { } projectUrl)
            message.Link(say.ProjectLink, projectUrl).EndLine();
        message.Line(say.IssueHeading(issue.Id, issue.PublishedAt) + $" · {paper.Number}/{issue.PaperCount}");

        message.ButtonRow(LinkButtons(paper, say));
        message.ButtonRow(Navigation(issue, paper, say));
        return message.Build() with
        {
            Card = new PaperCard(issue.Id, paper, issue.PaperCount, topics),
            ReplacesOriginal = replacesOriginal,
        };
    }

    /// <param name="namesIssue">The reader asked for this issue by its number, so the hint names it too.</param>
    public static ReplyMessage Contents(Issue issue, Phrases say, bool namesIssue = false)
    {
        var heading = say.IssueHeading(issue.Id, issue.PublishedAt) + issue.Status switch
        {
            IssueStatus.Draft => $" · {say.Draft}",
            IssueStatus.Scheduled => $" · {say.Scheduled}",
            _ => "",
        };
        var message = new MessageBuilder().Bold(issue.Title).EndLine().Line(heading).BlankLine();
        foreach (var paper in issue.Papers)
            message.Line($"{paper.Number}. {paper.Title}");
        message.BlankLine();
        if (issue.ArticleUrl is { } article)
            message.Link(say.ReadArticle, article).EndLine();
        message.Line(say.ContentsHint(namesIssue ? issue.Id : null));
        message.ButtonRows(issue.Papers.Select(p => Button.Action(p.Number.ToString(CultureInfo.InvariantCulture), ButtonData.OpenPaper(issue.Id, p.Number))), perRow: 7);
        return message.Build() with { Issue = issue.Id };
    }

    /// <summary>Up to three authors, then "et al." (等).</summary>
    public static string Authors(IReadOnlyList<string> authors, Phrases say) =>
        authors.Count <= 3 ? string.Join(", ", authors) : string.Join(", ", authors.Take(3)) + say.EtAl;

    public IReadOnlyList<Topic> TopicsOf(Paper paper) =>
        catalog.All.Where(t => paper.Topics.Any(pt => pt.Topic == t.Slug)).ToList();

    private static Button[] LinkButtons(Paper paper, Phrases say) =>
        new[]
        {
            paper.PaperUrl is { } paperUrl ? Button.Link(say.PaperLink, paperUrl) : null,
            paper.CodeUrl is { } codeUrl ? Button.Link(say.CodeLink, codeUrl) : null,
            paper.ProjectUrl is { } projectUrl ? Button.Link(say.ProjectLink, projectUrl) : null,
        }.OfType<Button>().ToArray();

    private static Button[] Navigation(IssueOutline issue, Paper paper, Phrases say)
    {
        var row = new List<Button>();
        if (paper.Number > issue.FirstNumber)
            row.Add(Button.Action($"◀ {paper.Number - 1}", ButtonData.PagePaper(issue.Id, paper.Number - 1)));
        row.Add(Button.Action($"{paper.Number}/{issue.PaperCount}", ButtonData.Contents(issue.Id)));
        if (paper.Number < issue.LastNumber)
            row.Add(Button.Action($"{paper.Number + 1} ▶", ButtonData.PagePaper(issue.Id, paper.Number + 1)));
        return row.ToArray();
    }
}
