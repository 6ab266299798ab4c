namespace PaperBot.Core.Issues;

public enum IssueStatus
{
    Draft,
    /// <summary>Marked ready by an admin: the weekly push (or <see cref="Issue.ScheduledFor"/>) publishes it.</summary>
    Scheduled,
    Published,
}

public sealed class Issue
{
    /// <summary>The longest title the database keeps (PostgreSQL refuses a longer one; a digest with one is refused on import).</summary>
    public const int MaxTitleLength = 500;

    public int Id { get; set; }
    public required string Title { get; set; }
    public string Intro { get; set; } = "";
    public IssueStatus Status { get; set; }

    /// <summary>Identifies the digest's content so that importing it again finds this issue.</summary>
    public required string ContentHash { get; set; }

    public DateTimeOffset ImportedAt { get; set; }

    /// <summary>With <see cref="IssueStatus.Scheduled"/>: the moment to publish; null = the next weekly slot.</summary>
    public DateTimeOffset? ScheduledFor { get; set; }

    public DateTimeOffset? PublishedAt { get; set; }

    /// <summary>The issue's WeChat article (图文) once the platform has published it: every channel links to it.</summary>
    public string? ArticleUrl { get; set; }

    public List<Paper> Papers { get; set; } = [];
}

public sealed class Paper
{
    /// <summary>The longest title the database keeps (PostgreSQL refuses a longer one; a digest with one is refused on import).</summary>
    public const int MaxTitleLength = 500;

    /// <summary>The longest link (paper, code, project) the database keeps.</summary>
    public const int MaxUrlLength = 2000;

    public int Id { get; set; }
    public int IssueId { get; set; }
    public Issue? Issue { get; set; }
    public int Number { get; set; }
    public required string Title { get; set; }
    public required string Summary { get; set; }
    public string? ArxivId { get; set; }
    public string? PaperUrl { get; set; }
    public string? CodeUrl { get; set; }
    public string? ProjectUrl { get; set; }
    public List<PaperTopic> Topics { get; set; } = [];

    /// <summary>Set when an editor corrected the topics: re-imports and re-tagging keep them, and the tagger learns from them.</summary>
    public DateTimeOffset? TopicsCorrectedAt { get; set; }

    public string? TopicsCorrectedBy { get; set; }

    /// <summary>From the arXiv API (see <see cref="Arxiv.ArxivMetadata"/>); empty until fetched.</summary>
    public List<string> Authors { get; set; } = [];

    public string? EnglishTitle { get; set; }
    public string? Abstract { get; set; }
    public string? PrimaryCategory { get; set; }
    public DateTimeOffset? Published { get; set; }

    /// <summary>When arXiv last answered for this paper (with or without an entry); null = still to fetch.</summary>
    public DateTimeOffset? ArxivCheckedAt { get; set; }
}

public sealed class PaperTopic
{
    public int PaperId { get; set; }
    public required string Topic { get; set; }
}
