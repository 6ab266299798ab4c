// The article's cover: the configured file (WeChat:Article:Cover), or drawn for the issue at 900×383 (2.35:1, the
// size WeChat crops feed covers to) with the issue number, the date and the first titles. Text is shaped with
// HarfBuzz, so Chinese, Latin and punctuation sit right, in Noto Sans CJK SC from the system (fonts-noto-cjk) or
// the configured font. SkiaSharp's native library loads on the first cover drawn, never at start.
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using PaperBot.Core.Issues;
using PaperBot.Scheduling;
using PaperBot.WeChat;
using SkiaSharp;
using SkiaSharp.HarfBuzz;

namespace PaperBot.Channels.WeChat.Articles;

/// <summary>A cover image as it is uploaded, and what it shows (to upload it again only when that changes).</summary>
public sealed record CoverImage(byte[] Content, string ContentType, string Fingerprint)
{
    public string FileName => ContentType == "image/png" ? "cover.png" : "cover.jpg";

    public WeChatUpload Upload => new(Content, FileName, ContentType);
}

/// <summary>No cover can be made: the configured file cannot be read, or no font can draw one.</summary>
public sealed class CoverUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

public sealed class ArticleCover(IOptions<WeChatOptions> options, IOptions<ScheduleOptions> schedule, TimeProvider clock)
{
    public const int Width = 900;
    public const int Height = 383;
    public const string SystemFontDirectory = "/usr/share/fonts/opentype/noto";
    public const string SystemFontFamily = "Noto Sans CJK SC";

    private readonly Lock gate = new();
    private (SKTypeface Regular, SKTypeface Bold)? typefaces;

    /// <summary>The configured cover, or one drawn for <paramref name="issue"/>.</summary>
    public CoverImage For(Issue issue)
    {
        ArgumentNullException.ThrowIfNull(issue);
        var configured = options.Value.Article.Cover;
        if (configured.Length > 0)
        {
            byte[] bytes;
            try
            {
                bytes = File.ReadAllBytes(configured);
            }
            catch (IOException error)
            {
                throw new CoverUnavailableException($"WeChat:Article:Cover '{configured}' cannot be read: {error.Message}", error);
            }

            return new CoverImage(bytes, IsPng(bytes) ? "image/png" : "image/jpeg", Convert.ToHexStringLower(SHA256.HashData(bytes)));
        }

        var date = (issue.PublishedAt ?? issue.ScheduledFor ?? clock.GetUtcNow()).ToOffset(schedule.Value.Zone.GetUtcOffset(clock.GetUtcNow())).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var titles = issue.Papers.OrderBy(p => p.Number).Take(3).Select(p => $"{p.Number}  {p.Title}").ToList();
        var fingerprint = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"v1|{issue.Id}|{date}|{string.Join('|', titles)}")));
        return new CoverImage(Draw(issue.Id, date, titles), "image/png", fingerprint);
    }

    /// <summary>A cover file WeChat takes both as the draft's cover and inside the article: PNG or JPEG under 1 MB.</summary>
    public static bool IsUsableImage(string path, out string problem)
    {
        var length = new FileInfo(path).Length;
        if (length >= WeChatUpload.MaxArticleImageBytes)
        {
            problem = "the image is 1 MB or larger; WeChat takes only images under 1 MB inside an article";
            return false;
        }

        Span<byte> head = stackalloc byte[4];
        using (var file = File.OpenRead(path))
            file.ReadAtLeast(head, 4, throwOnEndOfStream: false);
        var jpeg = head[0] == 0xFF && head[1] == 0xD8;
        problem = IsPng(head) || jpeg ? "" : "the image is neither PNG nor JPEG (WeChat takes only those inside an article)";
        return problem.Length == 0;
    }

    private byte[] Draw(int issueId, string date, List<string> titles)
    {
        var (regular, bold) = Typefaces();
        using var surface = SKSurface.Create(new SKImageInfo(Width, Height, SKColorType.Rgba8888, SKAlphaType.Premul));
        var canvas = surface.Canvas;
        using (var background = new SKPaint())
        {
            background.Shader = SKShader.CreateLinearGradient(
                new SKPoint(0, 0), new SKPoint(Width, Height), [SKColor.Parse("#0f2a4a"), SKColor.Parse("#0b5cad")], SKShaderTileMode.Clamp);
            canvas.DrawRect(0, 0, Width, Height, background);
        }

        using (var ring = new SKPaint { Color = SKColors.White.WithAlpha(22), IsAntialias = true, Style = SKPaintStyle.Stroke, StrokeWidth = 28 })
            canvas.DrawCircle(Width - 70, 40, 150, ring);

        using var white = new SKPaint { Color = SKColors.White, IsAntialias = true };
        using var soft = new SKPaint { Color = SKColors.White.WithAlpha(200), IsAntialias = true };
        using var small = new SKFont(regular, 26);
        using var big = new SKFont(bold, 60) { Embolden = bold == regular };
        using var line = new SKFont(regular, 27);
        canvas.DrawShapedText("AI 论文周报", 56, 72, SKTextAlign.Left, small, soft);
        canvas.DrawShapedText(date, Width - 56, 72, SKTextAlign.Right, small, soft);
        canvas.DrawShapedText($"第 {issueId.ToString(CultureInfo.InvariantCulture)} 期", 56, 150, SKTextAlign.Left, big, white);
        using (var accent = new SKPaint { Color = SKColor.Parse("#7cc4ff"), IsAntialias = true })
            canvas.DrawRect(56, 176, 64, 5, accent);

        for (var i = 0; i < titles.Count; i++)
            canvas.DrawShapedText(Fit(titles[i], line, Width - 112), 56, 236 + i * 46, SKTextAlign.Left, line, white);

        using var image = surface.Snapshot();
        using var png = image.Encode(SKEncodedImageFormat.Png, 100);
        return png.ToArray();
    }

    /// <summary>The text, or as much of it as fits in <paramref name="width"/> pixels followed by "…".</summary>
    private static string Fit(string text, SKFont font, float width)
    {
        using var shaper = new SKShaper(font.Typeface);
        if (shaper.Shape(text, font).Width <= width)
            return text;
        var elements = new List<string>();
        var enumerator = StringInfo.GetTextElementEnumerator(text);
        while (enumerator.MoveNext())
            elements.Add(enumerator.GetTextElement());
        for (var count = elements.Count - 1; count > 0; count--)
        {
            var candidate = string.Concat(elements.Take(count)).TrimEnd() + "…";
            if (shaper.Shape(candidate, font).Width <= width)
                return candidate;
        }

        return "…";
    }

    private (SKTypeface Regular, SKTypeface Bold) Typefaces()
    {
        lock (gate)
        {
            return typefaces ??= Load();
        }
    }

    private (SKTypeface Regular, SKTypeface Bold) Load()
    {
        var configured = options.Value.Article.CoverFont;
        if (configured.Length > 0)
        {
            var face = SKTypeface.FromFile(configured)
                ?? throw new CoverUnavailableException($"WeChat:Article:CoverFont '{configured}' is not a font file SkiaSharp can read");
            return (face, face);
        }

        return (System("NotoSansCJK-Regular.ttc"), System("NotoSansCJK-Bold.ttc"));
    }

    /// <summary>The Simplified Chinese face of a Noto CJK collection (the .ttc holds JP, KR, SC, TC and HK).</summary>
    private static SKTypeface System(string file)
    {
        var path = Path.Combine(SystemFontDirectory, file);
        if (!File.Exists(path))
            throw new CoverUnavailableException($"the generated cover needs a Chinese font: install fonts-noto-cjk ({path}) or set WeChat__Article__CoverFont, or give a cover with WeChat__Article__Cover");
        for (var index = 0; index < 8; index++)
        {
            var face = SKTypeface.FromFile(path, index);
            if (face is null)
                break;
            if (face.FamilyName == SystemFontFamily)
                return face;
            face.Dispose();
        }

        throw new CoverUnavailableException($"{path} holds no {SystemFontFamily} face");
    }

    private static bool IsPng(ReadOnlySpan<byte> bytes) => bytes.Length >= 4 && bytes[0] == 0x89 && bytes[1] == 0x50 && bytes[2] == 0x4E && bytes[3] == 0x47;
}
