using PaperBot.Core.Arxiv;
using PaperBot.Core.Issues;

namespace PaperBot.Core.Commands;

/// <summary>/latest, /paper, /issue, /issues, /search.</summary>
public sealed class ReadingReplies(IssueReader issues, PaperSearch search, PaperCards cards)
{
    public const int ArchiveLength = 20;
    public const int SearchResults = 10;

    public async Task<Reply> LatestAsync(Conversation conversation, CancellationToken cancellationToken)
    {
        var issue = await issues.LatestPublishedAsync(cancellationToken);
        return issue is null ? Reply.Text(conversation.Say.NoIssueYet) : Reply.Of(PaperCards.Contents(issue, conversation.Say));
    }

    public async Task<int?> LatestPaperCountAsync(CancellationToken cancellationToken) =>
        (await issues.LatestPublishedAsync(cancellationToken))?.Papers.Count;

    public async Task<Reply> IssueAsync(Conversation conversation, int? issueId, CancellationToken cancellationToken)
    {
        if (issueId is null)
            return await LatestAsync(conversation, cancellationToken);
        var issue = await issues.FindAsync(issueId.Value, conversation.IsAdmin, cancellationToken);
        return issue is null ? Reply.Text(conversation.Say.IssueNotFound(issueId.Value)) : Reply.Of(PaperCards.Contents(issue, conversation.Say, namesIssue: true));
    }

    public async Task<Reply> ArchiveAsync(Conversation conversation, CancellationToken cancellationToken)
    {
        var say = conversation.Say;
        var list = await issues.ListAsync(conversation.IsAdmin, ArchiveLength, cancellationToken);
        if (list.Count == 0)
            return Reply.Text(say.NoIssueYet);
        var message = new MessageBuilder().Bold(say.ArchiveTitle).EndLine().BlankLine();
        foreach (var issue in list)
        {
            var state = issue.Status switch { IssueStatus.Draft => $" · {say.Draft}", IssueStatus.Scheduled => $" · {say.Scheduled}", _ => "" };
            message.Line($"{say.IssueHeading(issue.Id, issue.PublishedAt)}{state} · {issue.Title} · {say.PaperCount(issue.PaperCount)}");
        }

        message.BlankLine().Line(say.ArchiveHint);
        message.ButtonRows(list.Select(i => Button.Action(say.IssueHeading(i.Id, null), ButtonData.Contents(i.Id))), perRow: 4);
        return Reply.Of(message.Build());
    }

    public async Task<Reply> PaperAsync(Conversation conversation, PaperCommand command, CancellationToken cancellationToken)
    {
        var say = conversation.Say;
        if (await issues.PaperAsync(command.IssueId, command.Number, conversation.IsAdmin, cancellationToken) is not var (issue, paper))
            return Reply.Text(command.IssueId is { } missing ? say.IssueNotFound(missing) : say.NoIssueYet);
        return paper is null
            ? Reply.Text(say.PaperOutOfRange("paper", command.Number, issue.PaperCount, command.IssueId))
            : Reply.Of(cards.Card(issue, paper, say, replacesOriginal: command.Navigate));
    }

    /// <summary>/bib N [ISSUE]: the BibTeX entry of a paper, from its arXiv metadata.</summary>
    public async Task<Reply> BibAsync(Conversation conversation, BibCommand command, CancellationToken cancellationToken)
    {
        var say = conversation.Say;
        if (await issues.PaperAsync(command.IssueId, command.Number, conversation.IsAdmin, cancellationToken) is not var (issue, found))
            return Reply.Text(command.IssueId is { } missing ? say.IssueNotFound(missing) : say.NoIssueYet);
        if (found is not { } paper)
            return Reply.Text(say.PaperOutOfRange("bib", command.Number, issue.PaperCount, command.IssueId));
        if (BibTex.Of(paper) is { } entry)
            return Reply.Text(entry);
        return Reply.Text(paper switch
        {
            { ArxivId: null } => say.BibNoArxiv(command.Number),
            // Asked, and arXiv had no entry for it (or refused the id): asking again will not change that.
            { ArxivCheckedAt: not null } => say.BibUnknownToArxiv(command.Number, paper.ArxivId),
            _ => say.BibNotYet(command.Number, paper.ArxivId),
        });
    }

    public async Task<Reply> SearchAsync(Conversation conversation, string words, CancellationToken cancellationToken)
    {
        var say = conversation.Say;
        var result = await search.SearchAsync(words, SearchResults, cancellationToken);
        if (result.Total == 0)
            return Reply.Text(say.SearchNothing(words));
        var message = new MessageBuilder().Line(say.SearchResults(words, result.Total, result.Hits.Count)).BlankLine();
        foreach (var paper in result.Hits)
            message.Line($"#{paper.IssueId}·{paper.Number} {paper.Title}");
        message.BlankLine().Line(say.SearchHint(result.Hits[0].IssueId, result.Hits[0].Number));
        message.ButtonRows(result.Hits.Select(p => Button.Action($"#{p.IssueId}·{p.Number}", ButtonData.OpenPaper(p.IssueId, p.Number))), perRow: 5);
        return Reply.Of(message.Build());
    }
}
