using PaperBot.Core.Issues;
using PaperBot.Core.Topics;

namespace PaperBot.Core.Commands;

/// <summary>The channel-neutral answer to one inbound message: zero or more messages.</summary>
public sealed record Reply(IReadOnlyList<ReplyMessage> Messages)
{
    public static readonly Reply None = new([]);

    /// <summary>For the sender's own chat, not the group it was asked in: an admin's answers are not the group's business.</summary>
    public bool Private { get; init; }

    public static Reply Of(params ReplyMessage[] messages) => new(messages);

    public static Reply Text(string text) => Of(ReplyMessage.Text(text));

    /// <summary>The reply's text as a person reads it, messages separated by a blank line.</summary>
    public string ToPlainText() => string.Join("\n\n", Messages.Select(m => m.ToPlainText()));
}

public enum SpanStyle
{
    Plain,
    Bold,
    Link,
}

public sealed record Span(string Text, SpanStyle Style = SpanStyle.Plain, string? Url = null);

public sealed record TextLine(IReadOnlyList<Span> Spans)
{
    public static readonly TextLine Blank = new([]);

    public string ToPlainText() => string.Concat(Spans.Select(s => s.Style == SpanStyle.Link && s.Url != s.Text ? $"{s.Text} {s.Url}" : s.Text));
}

/// <summary>A button under a message: it opens <see cref="Url"/> or sends <see cref="Data"/> back to the engine.</summary>
public sealed record Button(string Text, string? Url = null, string? Data = null)
{
    public static Button Link(string text, string url) => new(text, Url: url);

    public static Button Action(string text, string data) => new(text, Data: data);
}

/// <summary>A paper shown as a card; channels with a richer format (WeChat news articles) use it instead of the lines.</summary>
public sealed record PaperCard(int IssueId, Paper Paper, int PaperCount, IReadOnlyList<Topic> Topics);

public sealed record ReplyMessage(IReadOnlyList<TextLine> Lines, IReadOnlyList<IReadOnlyList<Button>> Buttons)
{
    public PaperCard? Card { get; init; }

    /// <summary>False for lists of links, where previews would show only the first link.</summary>
    public bool LinkPreview { get; init; }

    /// <summary>The answer to a pressed button that should replace the message that carried the button.</summary>
    public bool ReplacesOriginal { get; init; }

    /// <summary>This message reports a push's progress; channels that can edit messages keep it up to date.</summary>
    public int? TracksPush { get; init; }

    /// <summary>
    /// This message shows issue N: its digest (a channel that publishes the issue whole, WeChat's article, sends that
    /// instead of a pushed digest) or its contents (a reply that shows it need not offer it as unseen).
    /// </summary>
    public int? Issue { get; init; }

    public static ReplyMessage Text(string text) =>
        new(text.Split('\n').Select(l => l.Length == 0 ? TextLine.Blank : new TextLine([new Span(l)])).ToList(), []);

    public string ToPlainText() => string.Join("\n", Lines.Select(l => l.ToPlainText()));
}

/// <summary>Builds a <see cref="ReplyMessage"/> line by line.</summary>
public sealed class MessageBuilder
{
    private readonly List<TextLine> lines = [];
    private readonly List<IReadOnlyList<Button>> buttons = [];
    private List<Span> current = [];

    public MessageBuilder Text(string text)
    {
        current.Add(new Span(text));
        return this;
    }

    public MessageBuilder Bold(string text)
    {
        current.Add(new Span(text, SpanStyle.Bold));
        return this;
    }

    public MessageBuilder Link(string text, string url)
    {
        current.Add(new Span(text, SpanStyle.Link, url));
        return this;
    }

    public MessageBuilder EndLine()
    {
        lines.Add(current.Count == 0 ? TextLine.Blank : new TextLine(current));
        current = [];
        return this;
    }

    public MessageBuilder Line(string text) => Text(text).EndLine();

    public MessageBuilder BlankLine()
    {
        if (current.Count > 0)
            EndLine();
        lines.Add(TextLine.Blank);
        return this;
    }

    public MessageBuilder ButtonRow(params Button[] row)
    {
        if (row.Length > 0)
            buttons.Add(row);
        return this;
    }

    public MessageBuilder ButtonRows(IEnumerable<Button> all, int perRow)
    {
        foreach (var row in all.Chunk(perRow))
            buttons.Add(row);
        return this;
    }

    public ReplyMessage Build()
    {
        if (current.Count > 0)
            EndLine();
        while (lines.Count > 0 && lines[^1].Spans.Count == 0)
            lines.RemoveAt(lines.Count - 1);
        return new ReplyMessage(lines.ToList(), buttons.ToList());
    }
}
