using System.Globalization;
using System.Net;
using System.Text;

namespace PaperBot.Admin;

public sealed record DayCount(DateOnly Day, int Count);

public sealed record BarSegment(string Series, int Value);

public sealed record StackedBar(string Label, IReadOnlyList<BarSegment> Segments)
{
    public int Total => Segments.Sum(s => s.Value);
}

public sealed record LabelledValue(string Label, int Value);

/// <summary>
/// Charts as inline SVG, drawn on the server: nothing to download, readable without JavaScript, and sized by their
/// viewBox so they scale to a phone. Every label is escaped; every bar and point has a &lt;title&gt; tooltip.
/// </summary>
public static class SvgCharts
{
    public const int Width = 640;
    public const string Empty = "<p class=\"chart-empty\">No data yet.</p>";

    /// <summary>Colours for the delivery outcomes, shared with the page's legend and progress bars.</summary>
    public static readonly IReadOnlyDictionary<string, string> Colours = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["sent"] = "#16a34a",
        ["skipped"] = "#94a3b8",
        ["blocked"] = "#d97706",
        ["failed"] = "#dc2626",
        ["waiting"] = "#2563eb",
    };

    private static readonly string[] Palette = ["#2563eb", "#7c3aed", "#0891b2", "#16a34a", "#d97706", "#db2777"];

    /// <summary>A cumulative line with the area under it: one point per day.</summary>
    public static string Growth(IReadOnlyList<DayCount> days, string title)
    {
        if (days.Count == 0)
            return Empty;
        const int height = 220, left = 44, right = 16, top = 16, bottom = 30;
        var max = Math.Max(1, days.Max(d => d.Count));
        var plotWidth = Width - left - right;
        var plotHeight = height - top - bottom;
        double X(int i) => left + (days.Count == 1 ? plotWidth / 2.0 : plotWidth * i / (double)(days.Count - 1));
        double Y(int value) => top + plotHeight - (plotHeight * value / (double)max);

        var svg = Open(height, title);
        Grid(svg, max, left, Width - right, Y);
        var line = string.Join(" ", days.Select((d, i) => Point(X(i), Y(d.Count))));
        svg.Append(CultureInfo.InvariantCulture, $"<path class=\"area\" d=\"M{Point(X(0), Y(0))} L{line.Replace(" ", " L", StringComparison.Ordinal)} L{Point(X(days.Count - 1), Y(0))} Z\" fill=\"#2563eb\" fill-opacity=\"0.12\"/>");
        svg.Append(CultureInfo.InvariantCulture, $"<polyline class=\"line\" points=\"{line}\" fill=\"none\" stroke=\"#2563eb\" stroke-width=\"2\"/>");
        for (var i = 0; i < days.Count; i++)
            svg.Append(CultureInfo.InvariantCulture, $"<circle class=\"point\" cx=\"{N(X(i))}\" cy=\"{N(Y(days[i].Count))}\" r=\"{(days.Count > 60 ? 1.5 : 3)}\" fill=\"#2563eb\"><title>{Escape(Day(days[i].Day))}: {days[i].Count}</title></circle>");
        Label(svg, X(0), height - 8, Day(days[0].Day), "start");
        if (days.Count > 1)
            Label(svg, X(days.Count - 1), height - 8, Day(days[^1].Day), "end");
        return Close(svg);
    }

    /// <summary>One vertical bar per item, its segments stacked in <see cref="Colours"/> order, with a legend.</summary>
    public static string Stacked(IReadOnlyList<StackedBar> bars, string title)
    {
        if (bars.Count == 0)
            return Empty;
        const int height = 250, left = 44, right = 16, top = 34, bottom = 30;
        var max = Math.Max(1, bars.Max(b => b.Total));
        var plotWidth = Width - left - right;
        var plotHeight = height - top - bottom;
        var slot = plotWidth / (double)bars.Count;
        var barWidth = Math.Min(56, slot * 0.7);
        double Y(int value) => top + plotHeight - (plotHeight * value / (double)max);

        var svg = Open(height, title);
        Legend(svg, bars.SelectMany(b => b.Segments.Select(s => s.Series)).Distinct().ToList(), left);
        Grid(svg, max, left, Width - right, Y);
        for (var i = 0; i < bars.Count; i++)
        {
            var bar = bars[i];
            var x = left + (slot * i) + ((slot - barWidth) / 2);
            var base_ = 0;
            foreach (var segment in bar.Segments.Where(s => s.Value > 0))
            {
                var y0 = Y(base_);
                var y1 = Y(base_ + segment.Value);
                svg.Append(CultureInfo.InvariantCulture,
                    $"<rect class=\"bar\" data-series=\"{Escape(segment.Series)}\" x=\"{N(x)}\" y=\"{N(y1)}\" width=\"{N(barWidth)}\" height=\"{N(y0 - y1)}\" fill=\"{Colour(segment.Series)}\"><title>{Escape(bar.Label)} · {Escape(segment.Series)}: {segment.Value}</title></rect>");
                base_ += segment.Value;
            }

            Label(svg, x + (barWidth / 2), height - 8, bar.Label, "middle");
        }

        return Close(svg);
    }

    /// <summary>Horizontal bars, longest first as given, the value at the end of each bar.</summary>
    public static string Horizontal(IReadOnlyList<LabelledValue> items, string title)
    {
        if (items.Count == 0)
            return Empty;
        const int row = 26, labelWidth = 170, right = 48, top = 8;
        var height = top + (row * items.Count) + 8;
        var max = Math.Max(1, items.Max(i => i.Value));
        var plotWidth = Width - labelWidth - right;

        var svg = Open(height, title);
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            var y = top + (row * i);
            var width = Math.Max(item.Value > 0 ? 2 : 0, plotWidth * item.Value / (double)max);
            Label(svg, labelWidth - 8, y + 17, item.Label, "end");
            svg.Append(CultureInfo.InvariantCulture,
                $"<rect class=\"bar\" x=\"{labelWidth}\" y=\"{y + 4}\" width=\"{N(width)}\" height=\"{row - 8}\" rx=\"3\" fill=\"{Palette[i % Palette.Length]}\"><title>{Escape(item.Label)}: {item.Value}</title></rect>");
            Label(svg, labelWidth + width + 6, y + 17, item.Value.ToString(CultureInfo.InvariantCulture), "start");
        }

        return Close(svg);
    }

    public static string Colour(string series) => Colours.TryGetValue(series, out var colour) ? colour : "#64748b";

    private static StringBuilder Open(int height, string title)
    {
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture,
            $"<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {Width} {height}\" role=\"img\" aria-label=\"{Escape(title)}\" font-size=\"12\" font-family=\"inherit\">");
        svg.Append(CultureInfo.InvariantCulture, $"<title>{Escape(title)}</title>");
        return svg;
    }

    private static string Close(StringBuilder svg) => svg.Append("</svg>").ToString();

    private static void Grid(StringBuilder svg, int max, int left, int right, Func<int, double> y)
    {
        foreach (var value in new[] { 0, max / 2, max }.Distinct())
        {
            svg.Append(CultureInfo.InvariantCulture, $"<line class=\"grid\" x1=\"{left}\" x2=\"{right}\" y1=\"{N(y(value))}\" y2=\"{N(y(value))}\" stroke=\"#e4e7ec\"/>");
            Label(svg, left - 6, y(value) + 4, value.ToString(CultureInfo.InvariantCulture), "end");
        }
    }

    private static void Legend(StringBuilder svg, IReadOnlyList<string> series, int left)
    {
        var x = (double)left;
        foreach (var name in series)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<rect class=\"legend\" x=\"{N(x)}\" y=\"8\" width=\"10\" height=\"10\" rx=\"2\" fill=\"{Colour(name)}\"/>");
            Label(svg, x + 14, 17, name, "start");
            x += 24 + (name.Length * 7);
        }
    }

    private static void Label(StringBuilder svg, double x, double y, string text, string anchor) =>
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{N(x)}\" y=\"{N(y)}\" text-anchor=\"{anchor}\" fill=\"#667085\">{Escape(text)}</text>");

    private static string Point(double x, double y) => $"{N(x)},{N(y)}";

    private static string N(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Escape(string text) => WebUtility.HtmlEncode(text);
}
