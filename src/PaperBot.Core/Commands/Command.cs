namespace PaperBot.Core.Commands;

/// <summary>A parsed inbound message. The parser knows words and arguments; the handlers know the data.</summary>
public abstract record Command;

public sealed record StartCommand(string? Payload) : Command;

public sealed record HelpCommand : Command;

public sealed record LatestCommand : Command;

/// <param name="Navigate">True when ◀/▶ was pressed: the card replaces the one that carried the button.</param>
public sealed record PaperCommand(int Number, int? IssueId, bool Navigate = false) : Command;

public sealed record IssueCommand(int? IssueId) : Command;

public sealed record IssuesCommand : Command;

public sealed record SearchCommand(string Words) : Command;

public enum TopicAction
{
    Show,
    Add,
    Remove,
    Clear,
    Toggle,
}

public sealed record TopicsCommand(TopicAction Action, string? Topic = null, bool FromButton = false) : Command;

public sealed record SubscribeCommand : Command;

public sealed record UnsubscribeCommand : Command;

public sealed record LangCommand(string Language) : Command;

public sealed record StatusCommand : Command;

/// <summary>Show what publishing would send (the issue, its recipients, how long) and ask for a confirmation.</summary>
public sealed record PublishCommand(int? IssueId) : Command;

/// <summary>The admin's answer to a publish preview: publish issue <paramref name="IssueId"/> now, or not.</summary>
public sealed record PublishDecisionCommand(int IssueId, bool Publish) : Command;

public sealed record BroadcastCommand(string Text) : Command;

public sealed record StatsCommand : Command;

/// <summary>Queue an issue's failed and unsent deliveries again.</summary>
public sealed record ResendCommand(int IssueId) : Command;
/// <summary>An admin's correction: <c>/tag 4 +agents -code</c>, <c>/tag 4 3 +agents</c> (paper 4 of issue 3).</summary>
public sealed record TagCommand(int Number, int? IssueId, IReadOnlyList<string> Add, IReadOnlyList<string> Remove) : Command;

/// <summary><c>/bib 4 [ISSUE]</c>: paper 4's BibTeX entry.</summary>
public sealed record BibCommand(int Number, int? IssueId) : Command;

/// <summary>The admin's answer to a broadcast preview.</summary>
public sealed record BroadcastDecisionCommand(int PushId, bool Send) : Command;

public enum Problem
{
    MissingNumber,
    NotANumber,
    NotAnIssueNumber,
    MissingIssueNumber,
    MissingWords,
    MissingTopic,
    UnknownTopicAction,
    BadLanguage,
    MissingText,
    TooLong,
    ExpiredButton,
    TagUsage,
}

/// <summary>A known command used wrongly; the reply says what would work.</summary>
public sealed record BadCommand(string Name, Problem Problem, string? Argument = null) : Command;

public sealed record UnknownCommand(string Word) : Command;

/// <summary>Free text in a private chat that is no command.</summary>
public sealed record NotACommand(string Text) : Command;

/// <summary>Nothing to answer: a group message without a command, or a command for another bot.</summary>
public sealed record IgnoredMessage : Command;
