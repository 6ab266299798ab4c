using System.Globalization;
using System.Text;
using PaperBot.Core.Commands;
using Telegram.Bot.Types;
using Telegram.Bot.Types.ReplyMarkups;

namespace PaperBot.Channels.Telegram;

/// <summary>One Telegram message to send: HTML text, and the keyboard when it is the last part of a reply message.</summary>
public sealed record TelegramText(string Html, InlineKeyboardMarkup? Keyboard, LinkPreviewOptions? LinkPreview);

/// <summary>
/// Turns a channel-neutral <see cref="ReplyMessage"/> into Telegram HTML (parse_mode=HTML): <c>&lt;b&gt;</c> and
/// <c>&lt;a href&gt;</c> only, with <c>&amp; &lt; &gt;</c> escaped in text and <c>&amp; &lt; &gt; "</c> in attributes.
/// A message longer than <see cref="MaxLength"/> is split at blank-line paragraph boundaries; a paragraph that is
/// itself too long is split at lines, and a line at characters, never inside a surrogate pair, an entity or a tag.
/// </summary>
public static class TelegramFormatter
{
    /// <summary>Telegram's limit is 4096 characters after entity parsing; counting the HTML keeps every part under it.</summary>
    public const int MaxLength = 4096;

    /// <summary>Telegram's limit on callback_data, in UTF-8 bytes.</summary>
    public const int MaxCallbackDataBytes = 64;

    private static readonly LinkPreviewOptions PreviewOff = new() { IsDisabled = true };

    public static IReadOnlyList<TelegramText> Format(ReplyMessage message, int maxLength = MaxLength)
    {
        var parts = Pack(Units(message.Lines, maxLength), maxLength);
        if (parts.Count == 0)
            return [];
        var keyboard = Keyboard(message.Buttons);
        var preview = message.LinkPreview ? null : PreviewOff;
        return parts.Select((html, index) => new TelegramText(html, index == parts.Count - 1 ? keyboard : null, preview)).ToList();
    }

    public static string Escape(string text) =>
        text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);

    public static string EscapeAttribute(string text) => Escape(text).Replace("\"", "&quot;", StringComparison.Ordinal);

    public static string Render(Span span) => span.Style switch
    {
        SpanStyle.Bold => $"<b>{Escape(span.Text)}</b>",
        SpanStyle.Link when IsLinkable(span.Url) => $"<a href=\"{EscapeAttribute(span.Url!)}\">{Escape(span.Text)}</a>",
        SpanStyle.Link => Escape(Plainer(span).Text),
        _ => Escape(span.Text),
    };

    public static InlineKeyboardMarkup? Keyboard(IReadOnlyList<IReadOnlyList<Button>> rows)
    {
        var keyboard = rows
            .Select(row => row.Select(ToButton).OfType<InlineKeyboardButton>().ToList())
            .Where(row => row.Count > 0)
            .ToList();
        return keyboard.Count == 0 ? null : new InlineKeyboardMarkup(keyboard);
    }

    /// <summary>A URL button must carry an http(s) URL or Telegram refuses the whole message; anything else is dropped.</summary>
    private static InlineKeyboardButton? ToButton(Button button)
    {
        if (button.Url is { } url)
            return IsLinkable(url) ? InlineKeyboardButton.WithUrl(button.Text, url) : null;
        if (button.Data is not { } data)
            return null;
        if (Encoding.UTF8.GetByteCount(data) > MaxCallbackDataBytes)
            throw new ArgumentException($"telegram: button data '{data}' is longer than {MaxCallbackDataBytes} UTF-8 bytes", nameof(button));
        return InlineKeyboardButton.WithCallbackData(button.Text, data);
    }

    private static bool IsLinkable(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https";

    /// <summary>A piece of HTML that is never cut, with what joins it to the piece before.</summary>
    private readonly record struct Unit(string Html, string Separator);

    private static IEnumerable<Unit> Units(IReadOnlyList<TextLine> lines, int maxLength)
    {
        var first = true;
        foreach (var paragraph in Paragraphs(lines))
        {
            var separator = first ? "" : "\n\n";
            first = false;
            var rendered = paragraph.Select(l => string.Concat(l.Spans.Select(Render))).ToList();
            var html = string.Join("\n", rendered);
            if (html.Length <= maxLength)
            {
                yield return new Unit(html, separator);
                continue;
            }

            for (var i = 0; i < paragraph.Count; i++)
            {
                var lineSeparator = i == 0 ? separator : "\n";
                if (rendered[i].Length <= maxLength)
                {
                    yield return new Unit(rendered[i], lineSeparator);
                    continue;
                }

                foreach (var (chunk, index) in Chunks(paragraph[i].Spans, maxLength).Select((chunk, index) => (chunk, index)))
                    yield return new Unit(chunk, index == 0 ? lineSeparator : "");
            }
        }
    }

    private static IEnumerable<List<TextLine>> Paragraphs(IReadOnlyList<TextLine> lines)
    {
        var current = new List<TextLine>();
        foreach (var line in lines)
        {
            if (line.Spans.Count > 0 && line.Spans.Any(s => s.Text.Length > 0))
            {
                current.Add(line);
            }
            else if (current.Count > 0)
            {
                yield return current;
                current = [];
            }
        }

        if (current.Count > 0)
            yield return current;
    }

    /// <summary>Cuts one over-long line into pieces of at most <paramref name="maxLength"/>, each span's tag closed in its piece.</summary>
    private static IEnumerable<string> Chunks(IReadOnlyList<Span> spans, int maxLength)
    {
        var current = new StringBuilder();
        foreach (var span in spans.Select(Plainer))
        {
            var whole = Render(span);
            if (current.Length + whole.Length <= maxLength)
            {
                current.Append(whole);
                continue;
            }

            if (whole.Length <= maxLength)
            {
                yield return current.ToString();
                current.Clear().Append(whole);
                continue;
            }

            // The tag around a piece costs the same whatever the piece holds; each text element is escaped on its own,
            // so a cut never falls inside a surrogate pair, an emoji sequence or an entity.
            var overhead = Render(span with { Text = "" }).Length;
            var piece = new StringBuilder();
            var pieceLength = 0;
            var elements = StringInfo.GetTextElementEnumerator(span.Text);
            while (elements.MoveNext())
            {
                var element = elements.GetTextElement();
                var escaped = Escape(element).Length;
                if (current.Length + overhead + pieceLength + escaped > maxLength)
                {
                    if (piece.Length > 0)
                        current.Append(Render(span with { Text = piece.ToString() }));
                    if (current.Length > 0)
                        yield return current.ToString();
                    current.Clear();
                    piece.Clear();
                    pieceLength = 0;
                }

                piece.Append(element);
                pieceLength += escaped;
            }

            if (piece.Length > 0)
                current.Append(Render(span with { Text = piece.ToString() }));
        }

        if (current.Length > 0)
            yield return current.ToString();
    }

    /// <summary>A link that cannot be a link is plain text, so that every span is a tag around escaped text.</summary>
    private static Span Plainer(Span span) =>
        span.Style == SpanStyle.Link && !IsLinkable(span.Url)
            ? new Span(span.Url is null || span.Url == span.Text ? span.Text : $"{span.Text} {span.Url}")
            : span;

    private static List<string> Pack(IEnumerable<Unit> units, int maxLength)
    {
        var parts = new List<string>();
        var current = new StringBuilder();
        foreach (var unit in units)
        {
            if (current.Length > 0 && current.Length + unit.Separator.Length + unit.Html.Length > maxLength)
            {
                parts.Add(current.ToString());
                current.Clear();
            }

            current.Append(current.Length == 0 ? "" : unit.Separator).Append(unit.Html);
        }

        if (current.Length > 0)
            parts.Add(current.ToString());
        return parts;
    }
}
