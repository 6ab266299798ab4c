// The article's colours, and what WeChat's dark mode makes of them. WeChat does not show an article's colours as
// written in dark mode: its reader (published as wechatjs/mp-darkmode) turns light neutral backgrounds dark by
// inverting their lightness, leaves text that already stands out from the dark page alone, and lifts dark text by
// flipping its HSL lightness (90 − L) while keeping the hue. So the article uses neutral greys for every background
// and text colours with an HSL lightness of at most 40% whose perceived brightness is within 65 of the dark page:
// dark mode then turns each into a light colour of the same hue. DarkReading repeats those rules for the admin page's
// dark preview and for the test that checks the contrast of every text in both modes.
using System.Globalization;
using System.Text.RegularExpressions;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace PaperBot.Channels.WeChat.Articles;

/// <summary>An opaque colour.</summary>
public readonly record struct Rgb(double R, double G, double B)
{
    public static Rgb Parse(string text)
    {
        var value = text.Trim();
        if (value.StartsWith('#') && value.Length == 7)
            return new Rgb(Hex(value, 1), Hex(value, 3), Hex(value, 5));
        var match = Regex.Match(value, @"^rgba?\(\s*([\d.]+)\s*,\s*([\d.]+)\s*,\s*([\d.]+)");
        if (match.Success)
            return new Rgb(Number(match.Groups[1].Value), Number(match.Groups[2].Value), Number(match.Groups[3].Value));
        throw new FormatException($"not a colour the article uses: '{text}'");
    }

    /// <summary>W3C's perceived brightness, 0–255 (the measure WeChat's dark mode works with).</summary>
    public double Brightness => (R * 299 + G * 587 + B * 114) / 1000;

    /// <summary>WCAG relative luminance, 0–1.</summary>
    public double Luminance => 0.2126 * Linear(R) + 0.7152 * Linear(G) + 0.0722 * Linear(B);

    public static double Contrast(Rgb a, Rgb b)
    {
        var (light, dark) = a.Luminance > b.Luminance ? (a.Luminance, b.Luminance) : (b.Luminance, a.Luminance);
        return (light + 0.05) / (dark + 0.05);
    }

    public (double H, double S, double L) ToHsl()
    {
        var (r, g, b) = (R / 255, G / 255, B / 255);
        var max = Math.Max(r, Math.Max(g, b));
        var min = Math.Min(r, Math.Min(g, b));
        var l = (max + min) / 2;
        if (max - min < 1e-9)
            return (0, 0, l * 100);
        var d = max - min;
        var s = l > 0.5 ? d / (2 - max - min) : d / (max + min);
        var h = max == r ? (g - b) / d + (g < b ? 6 : 0) : max == g ? (b - r) / d + 2 : (r - g) / d + 4;
        return (h * 60, s * 100, l * 100);
    }

    public static Rgb FromHsl(double h, double s, double l)
    {
        (s, l) = (s / 100, l / 100);
        var c = (1 - Math.Abs(2 * l - 1)) * s;
        var x = c * (1 - Math.Abs(h / 60 % 2 - 1));
        var m = l - c / 2;
        var (r, g, b) = h switch
        {
            < 60 => (c, x, 0.0),
            < 120 => (x, c, 0.0),
            < 180 => (0.0, c, x),
            < 240 => (0.0, x, c),
            < 300 => (x, 0.0, c),
            _ => (c, 0.0, x),
        };
        return new Rgb((r + m) * 255, (g + m) * 255, (b + m) * 255);
    }

    /// <summary>The same colour scaled to a perceived brightness, as WeChat adjusts text.</summary>
    public Rgb WithBrightness(double target)
    {
        var ratio = target / (Brightness > 0 ? Brightness : 1);
        double r = Math.Min(255, R * ratio), g = Math.Min(255, G * ratio), b = Math.Min(255, B * ratio);
        if (g == 0 || r == 255 || b == 255)
            g = (target * 1000 - r * 299 - b * 114) / 587;
        else if (r == 0)
            r = (target * 1000 - g * 587 - b * 114) / 299;
        else if (b == 0 || g == 255)
            b = (target * 1000 - r * 299 - g * 587) / 114;
        return new Rgb(Math.Clamp(r, 0, 255), Math.Clamp(g, 0, 255), Math.Clamp(b, 0, 255));
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"#{Byte(R):x2}{Byte(G):x2}{Byte(B):x2}");

    private static int Byte(double value) => (int)Math.Round(Math.Clamp(value, 0, 255));

    private static double Hex(string value, int at) => int.Parse(value.AsSpan(at, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    private static double Number(string value) => double.Parse(value, CultureInfo.InvariantCulture);

    private static double Linear(double channel)
    {
        var c = channel / 255;
        return c <= 0.03928 ? c / 12.92 : Math.Pow((c + 0.055) / 1.055, 2.4);
    }
}

/// <summary>The palette: neutral backgrounds, dark text and one dark accent (see the file's note).</summary>
public static class ArticleColors
{
    public const string Text = "#333333";
    public const string Muted = "#595959";
    public const string Accent = "#0a4f96";
    public const string Card = "#f5f5f5";
    public const string Label = "#f0f0f0";
    public const string Rule = "#dddddd";

    /// <summary>The reading page behind the article: white, and WeChat's #191919 in dark mode.</summary>
    public static readonly Rgb LightPage = Rgb.Parse("#ffffff");
    public static readonly Rgb DarkPage = Rgb.Parse("#191919");

    /// <summary>WeChat's default text in dark mode: white at 60% on #191919.</summary>
    public static readonly Rgb DarkDefaultText = new(163, 163, 163);
}

/// <summary>WeChat's dark mode applied to an article's inline colours (after the rules of wechatjs/mp-darkmode).</summary>
public static partial class DarkReading
{
    private const double WhiteLike = 250;
    private const double MaxBackground = 190;
    private const double MinOffset = 65;
    private const double HighBackground = 100;
    private const double HighGreyLightness = 40;
    private const double LowGreyLightness = 22;

    private static readonly double MaxOffset = ArticleColors.DarkDefaultText.Brightness - ArticleColors.DarkPage.Brightness;

    [GeneratedRegex(@"(?<name>background-color|color|border(?:-(?:top|right|bottom|left))?(?:-color)?)\s*:\s*(?<pre>[^;#]*?)(?<value>#[0-9a-fA-F]{6}|rgba?\([^)]*\))")]
    private static partial Regex ColorDeclaration();

    /// <summary>A background on a dark parent, as WeChat shows it.</summary>
    public static Rgb Background(Rgb color)
    {
        var (h, s, l) = color.ToHsl();
        if ((s < 0.5 && l > HighGreyLightness) || color.Brightness > WhiteLike)
            return Rgb.FromHsl(0, 0, Math.Min(100, 100 + ArticleColors.DarkPage.ToHsl().L - l));
        if (color.Brightness > MaxBackground)
            return color.WithBrightness(MaxBackground);
        return l < LowGreyLightness ? Rgb.FromHsl(h, s, LowGreyLightness) : color;
    }

    /// <summary>A text (or border) colour over a background that is already dark, as WeChat shows it.</summary>
    public static Rgb Text(Rgb color, Rgb background)
    {
        var text = color.Brightness;
        var back = background.Brightness;
        var offset = Math.Abs(back - text);
        if (text >= WhiteLike)
            return color;
        if (offset > MaxOffset && back <= ArticleColors.DarkPage.Brightness + 2)
            return color.WithBrightness(MaxOffset + back);
        if (offset >= MinOffset)
            return color;
        var (h, s, l) = color.ToHsl();
        if (back >= HighBackground)
            return l > 90 - HighGreyLightness ? Text(Rgb.FromHsl(h, s, 90 - l), background) : color.WithBrightness(Math.Min(MaxOffset, back - MinOffset));
        return l <= HighGreyLightness ? Text(Rgb.FromHsl(h, s, 90 - l), background) : color.WithBrightness(Math.Min(MaxOffset, back + MinOffset));
    }

    /// <summary>The article with every inline colour as WeChat's dark mode shows it (for the admin page's preview).</summary>
    public static string Apply(string html)
    {
        var document = new HtmlParser().ParseDocument($"<body>{html}</body>");
        Walk(document.Body!, ArticleColors.DarkPage, ArticleColors.LightPage);
        return document.Body!.InnerHtml;
    }

    /// <summary>The colour declared in <paramref name="style"/> for <paramref name="property"/>, if any.</summary>
    public static Rgb? Declared(string? style, string property) =>
        style is null ? null
        : ColorDeclaration().Matches(style).FirstOrDefault(m => m.Groups["name"].Value == property) is { } match ? Rgb.Parse(match.Groups["value"].Value)
        : null;

    /// <param name="inherited">The text colour the element inherits, as written (light).</param>
    private static void Walk(IElement element, Rgb background, Rgb inherited)
    {
        foreach (var child in element.Children)
        {
            var style = child.GetAttribute("style");
            var own = background;
            var color = inherited;
            if (style is not null)
            {
                color = Declared(style, "color") ?? inherited;
                var ownBackground = Declared(style, "background-color") is { } declared ? Background(declared) : background;
                var parent = background;
                var rewritten = ColorDeclaration().Replace(style, m =>
                {
                    var name = m.Groups["name"].Value;
                    var value = Rgb.Parse(m.Groups["value"].Value);
                    var shown = name == "background-color" ? Background(value) : Text(value, name == "color" ? ownBackground : parent);
                    return $"{name}:{m.Groups["pre"].Value}{shown}";
                });
                // A new background under inherited text: WeChat gives the element a text colour for it, as here.
                if (ownBackground != background && Declared(style, "color") is null)
                    rewritten = rewritten.TrimEnd().TrimEnd(';') + $";color:{Text(color, ownBackground)}";
                child.SetAttribute("style", rewritten);
                own = ownBackground;
            }

            Walk(child, own, color);
        }
    }
}
