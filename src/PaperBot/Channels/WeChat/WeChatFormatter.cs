// WeChat text messages carry at most 2048 UTF-8 bytes and no formatting except <a href="…">links</a>;
// there are no buttons (the texts already say "send /paper N"). A passive reply is one message, so a
// reply's messages are joined; a reply that is one paper card becomes a news message (图文) of one
// article linking to the paper's page in the web archive.
using System.Buffers;
using System.Globalization;
using System.Text;
using PaperBot.Core.Commands;
using PaperBot.WeChat;

namespace PaperBot.Channels.WeChat;

/// <summary>One WeChat message: what a passive reply or a customer-service message carries.</summary>
public abstract record WeChatAnswer
{
    /// <summary>The waiting deliveries this answer offers, marked sent: waiting again if the answer cannot go out.</summary>
    public IReadOnlyList<OfferedDelivery> Offered { get; init; } = [];

    public sealed record Empty : WeChatAnswer;

    public sealed record Text(string Content) : WeChatAnswer;

    public sealed record News(WeChatNewsArticle Article) : WeChatAnswer;
}

public static class WeChatFormatter
{
    public const int MaxDescriptionBytes = 512;
    public const int MaxTitleBytes = 256;
    public const int MaxFooterBytes = 1024;

    /// <summary>The longest closing paragraph that a cut goes before rather than through.</summary>
    public const int MaxClosingBytes = 512;

    private const char Cut = '…';

    /// <summary>Less room than this beside a footer, and the article's description is the footer alone.</summary>
    private const int MinSummaryBytes = 30;

    /// <summary>The room a reply has for the footer: a paper's article carries it in its 512-byte description.</summary>
    public static int FooterBytes(Reply reply) =>
        reply.Messages is [{ Card: not null }] ? MaxDescriptionBytes : MaxFooterBytes;

    /// <param name="footer">Text that must survive truncation: the offer of an issue the subscriber has not seen.</param>
    /// <param name="publicBaseUrl">The web archive's address, for links to paper pages.</param>
    public static WeChatAnswer Answer(Reply reply, string? footer, string publicBaseUrl)
    {
        ArgumentNullException.ThrowIfNull(reply);
        footer = footer is { Length: > 0 } ? WeChatText.TruncateUtf8(footer, MaxFooterBytes) : null;
        if (reply.Messages is [{ Card: { } card }])
            return new WeChatAnswer.News(Article(card, publicBaseUrl, footer));
        var text = Text(reply.Messages, footer);
        return text.Length == 0 ? new WeChatAnswer.Empty() : new WeChatAnswer.Text(text);
    }

    /// <summary>
    /// The messages as one WeChat text of at most 2048 bytes, cut between lines; <paramref name="footer"/> is always
    /// kept, and so is a short closing paragraph (what to send next, as /topics ends): the cut goes before it.
    /// </summary>
    public static string Text(IReadOnlyList<ReplyMessage> messages, string? footer = null)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var lines = Lines(messages);
        var separator = footer is null ? "" : lines.Count > 0 ? "\n\n" : "";
        var tail = separator + (footer ?? "");
        return FitKeepingClosing(lines, WeChatReply.MaxTextBytes - Encoding.UTF8.GetByteCount(tail)) + tail;
    }

    /// <summary>
    /// The messages whole, as customer-service texts of at most 2048 bytes each, in order: whole lines while they fit;
    /// a line too long for the room left goes on as plain text, cut after a sentence (<see cref="FittingLength"/>, the
    /// rule a long announcement offered piece by piece follows), so no link tag is ever cut in half.
    /// </summary>
    public static IReadOnlyList<string> Parts(IReadOnlyList<ReplyMessage> messages) => Split(messages).Select(p => p.Text).ToList();

    /// <summary>
    /// How many characters of the messages' last line the first <paramref name="parts"/> of <see cref="Parts"/> carry:
    /// of an announcement (its text the line after the heading) that WeChat stopped after some parts, what the reader has.
    /// </summary>
    public static int LastLineShown(IReadOnlyList<ReplyMessage> messages, int parts)
    {
        var split = Split(messages);
        return parts <= 0 || split.Count == 0 ? 0 : split[Math.Min(parts, split.Count) - 1].LastLineShown;
    }

    /// <summary>The parts, each with how many characters of the last line the parts up to it carry.</summary>
    private static List<(string Text, int LastLineShown)> Split(IReadOnlyList<ReplyMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var parts = new List<(string Text, int LastLineShown)>();
        var part = new StringBuilder();
        var used = 0;
        var shown = 0;
        void Append(string text)
        {
            if (part.Length > 0)
            {
                part.Append('\n');
                used++;
            }

            part.Append(text);
            used += Encoding.UTF8.GetByteCount(text);
        }

        void Close()
        {
            if (part.ToString().Trim() is { Length: > 0 } text)
                parts.Add((text, shown));
            part.Clear();
            used = 0;
        }

        var lines = Lines(messages);
        for (var index = 0; index < lines.Count; index++)
        {
            var (rendered, plain) = lines[index];
            var last = index == lines.Count - 1;
            if (used + (part.Length > 0 ? 1 : 0) + Encoding.UTF8.GetByteCount(rendered) <= WeChatReply.MaxTextBytes)
            {
                Append(rendered);
                shown = last ? plain.Length : shown;
                continue;
            }

            if (Encoding.UTF8.GetByteCount(rendered) <= WeChatReply.MaxTextBytes)
            {
                Close();
                Append(rendered);
                shown = last ? plain.Length : shown;
                continue;
            }

            // Longer than a text: it begins in this one unless little room is left, and fills the next ones.
            var rest = plain;
            while (rest.Length > 0)
            {
                var room = WeChatReply.MaxTextBytes - used - (part.Length > 0 ? 1 : 0);
                if (room < WeChatReply.MaxTextBytes / 4)
                {
                    Close();
                    room = WeChatReply.MaxTextBytes;
                }

                var length = FittingLength(rest, room);
                Append(rest[..length]);
                rest = rest[length..];
                shown = last ? plain.Length - rest.Length : shown;
                if (rest.Length > 0)
                    Close();
            }
        }

        Close();
        return parts;
    }

    public static WeChatNewsArticle Article(PaperCard card, string publicBaseUrl, string? footer = null)
    {
        ArgumentNullException.ThrowIfNull(card);
        var paper = card.Paper;
        var summary = paper.Summary.Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "";
        // The footer is kept whole (it is what the reader has not seen yet); the summary has the room it leaves, if any.
        var room = MaxDescriptionBytes - (footer is null ? 0 : Encoding.UTF8.GetByteCount(footer) + 2);
        var description = footer is null ? WeChatText.TruncateUtf8(summary, MaxDescriptionBytes)
            : room < MinSummaryBytes ? WeChatText.TruncateUtf8(footer, MaxDescriptionBytes)
            : $"{footer}\n\n{WeChatText.TruncateUtf8(summary, room)}";
        return new WeChatNewsArticle(
            WeChatText.TruncateUtf8($"{paper.Number}. {paper.Title}", MaxTitleBytes),
            description,
            PaperPage(publicBaseUrl, card.IssueId, paper.Number));
    }

    public static string PaperPage(string publicBaseUrl, int issueId, int number) =>
        string.Create(CultureInfo.InvariantCulture, $"{publicBaseUrl.TrimEnd('/')}/issues/{issueId}/papers/{number}");

    /// <summary>Each line rendered and as plain text; a blank line between messages.</summary>
    private static List<(string Rendered, string Plain)> Lines(IReadOnlyList<ReplyMessage> messages)
    {
        var lines = new List<(string Rendered, string Plain)>();
        foreach (var message in messages)
        {
            if (lines.Count > 0)
                lines.Add(("", ""));
            lines.AddRange(message.Lines.Select(line => (Render(line), line.ToPlainText())));
        }

        return lines;
    }

    private static readonly SearchValues<char> SentenceEnds = SearchValues.Create("\n。！？；!?;");

    /// <summary>How many characters of <paramref name="text"/> fit in <paramref name="maxBytes"/>, cut after a line, a sentence or a word where one is near; at least one.</summary>
    public static int FittingLength(string text, int maxBytes)
    {
        var length = 0;
        var used = 0;
        while (length < text.Length)
        {
            var step = char.IsHighSurrogate(text[length]) && length + 1 < text.Length ? 2 : 1;
            var bytes = Encoding.UTF8.GetByteCount(text.AsSpan(length, step));
            if (used + bytes > maxBytes)
                break;
            used += bytes;
            length += step;
        }

        if (length == 0 && text.Length > 0)
            return char.IsHighSurrogate(text[0]) && text.Length > 1 ? 2 : 1;
        if (length == text.Length)
            return length;
        var sentence = text.AsSpan(0, length).LastIndexOfAny(SentenceEnds) + 1;
        if (sentence > length / 2)
            return sentence;
        var word = text.AsSpan(0, length).LastIndexOf(' ') + 1;
        return word > length / 2 ? word : length;
    }

    private static string Render(TextLine line) => string.Concat(line.Spans.Select(span =>
        span is { Style: SpanStyle.Link, Url: { } url }
            ? $"<a href=\"{url.Replace("\"", "%22", StringComparison.Ordinal)}\">{span.Text}</a>"
            : span.Text));

    private static string FitKeepingClosing(List<(string Rendered, string Plain)> lines, int maxBytes)
    {
        var blank = lines.FindLastIndex(l => l.Plain.Trim().Length == 0);
        if (blank <= 0 || Encoding.UTF8.GetByteCount(string.Join("\n", lines.Select(l => l.Rendered))) <= maxBytes)
            return Fit(lines, maxBytes);
        var closing = string.Join("\n", lines.Skip(blank + 1).Select(l => l.Rendered));
        var closingBytes = Encoding.UTF8.GetByteCount(closing);
        return closing.Trim().Length == 0 || closingBytes > MaxClosingBytes
            ? Fit(lines, maxBytes)
            : Fit(lines[..blank], maxBytes - closingBytes - 2) + "\n\n" + closing;
    }

    /// <summary>
    /// Whole lines while they fit, then "…"; a first line too long on its own is cut as plain text, and so is a long line
    /// with much room left before it, after a sentence, so no link tag is ever cut in half.
    /// </summary>
    private static string Fit(List<(string Rendered, string Plain)> lines, int maxBytes)
    {
        var all = string.Join("\n", lines.Select(l => l.Rendered));
        if (Encoding.UTF8.GetByteCount(all) <= maxBytes)
            return all;

        var budget = maxBytes - Encoding.UTF8.GetByteCount($"\n{Cut}");
        var kept = new StringBuilder();
        var count = 0;
        var used = 0;
        foreach (var (rendered, plain) in lines)
        {
            var bytes = Encoding.UTF8.GetByteCount(rendered) + (count > 0 ? 1 : 0);
            if (used + bytes > budget)
            {
                // A long paragraph (an announcement's text is one line) is not left out whole when much room is left:
                // as much of it as fits goes, as plain text cut after a sentence.
                var room = budget - used - 1;
                if (count > 0 && room >= maxBytes / 4 && plain.Trim().Length > 0)
                    return kept.Append('\n').Append(plain.AsSpan(0, FittingLength(plain, room)).TrimEnd()).Append(Cut).ToString();
                break;
            }

            if (count > 0)
                kept.Append('\n');
            kept.Append(rendered);
            used += bytes;
            count++;
        }

        return kept.ToString().Trim().Length > 0
            ? kept.Append('\n').Append(Cut).ToString()
            : WeChatText.TruncateUtf8(lines.First(l => l.Plain.Trim().Length > 0).Plain, maxBytes, Cut.ToString());
    }
}
