using System.Xml.Linq;
using PaperBot.Admin;

namespace PaperBot.Tests.Admin;

public sealed class SvgChartsTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    private static XElement Parse(string svg) => XElement.Parse(svg);

    [Fact]
    public void GrowthDrawsOnePointPerDayAndItsTotalInATooltip()
    {
        var days = new[] { new DayCount(new DateOnly(2026, 11, 1), 3), new DayCount(new DateOnly(2026, 11, 2), 3), new DayCount(new DateOnly(2026, 11, 3), 10) };

        var svg = Parse(SvgCharts.Growth(days, "Growth"));

        var points = svg.Descendants(Svg + "circle").ToList();
        Assert.Equal(3, points.Count);
        Assert.Equal("2026-11-03: 10", points[^1].Element(Svg + "title")!.Value);
        Assert.Equal("img", svg.Attribute("role")!.Value);
        Assert.Single(svg.Descendants(Svg + "polyline"));
    }

    [Fact]
    public void GrowthPutsTheHighestDayAtTheTopAndZeroAtTheBottom()
    {
        var days = new[] { new DayCount(new DateOnly(2026, 11, 1), 0), new DayCount(new DateOnly(2026, 11, 2), 8) };

        var points = Parse(SvgCharts.Growth(days, "Growth")).Descendants(Svg + "circle").Select(c => double.Parse(c.Attribute("cy")!.Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();

        Assert.True(points[0] > points[1]);
        Assert.Equal(16, points[1]);
    }

    [Fact]
    public void StackedBarsDrawOneRectanglePerNonZeroSegmentWithHeightsInProportion()
    {
        var bars = new[]
        {
            new StackedBar("#1", [new BarSegment("sent", 30), new BarSegment("skipped", 10), new BarSegment("failed", 0)]),
            new StackedBar("#2", [new BarSegment("sent", 20), new BarSegment("blocked", 20)]),
        };

        var rects = Parse(SvgCharts.Stacked(bars, "Deliveries")).Descendants(Svg + "rect").Where(r => (string?)r.Attribute("class") == "bar").ToList();

        Assert.Equal(4, rects.Count);
        double Height(XElement r) => double.Parse(r.Attribute("height")!.Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(3.0, Height(rects[0]) / Height(rects[1]), 1);
        Assert.Equal(Height(rects[0]) + Height(rects[1]), Height(rects[2]) + Height(rects[3]), 1);
        Assert.Equal("#16a34a", rects[0].Attribute("fill")!.Value);
        Assert.Equal("#1 · skipped: 10", rects[1].Element(Svg + "title")!.Value);
    }

    [Fact]
    public void HorizontalBarsAreLongestForTheLargestValueAndShowEachValue()
    {
        var items = new[] { new LabelledValue("Long context", 12), new LabelledValue("MoE", 3), new LabelledValue("Agents", 0) };

        var svg = Parse(SvgCharts.Horizontal(items, "Topics"));
        var widths = svg.Descendants(Svg + "rect").Select(r => double.Parse(r.Attribute("width")!.Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();

        Assert.Equal(4.0, widths[0] / widths[1], 1);
        Assert.Equal(0, widths[2]);
        Assert.Contains(svg.Descendants(Svg + "text"), t => t.Value == "12");
        Assert.Contains(svg.Descendants(Svg + "text"), t => t.Value == "Long context");
    }

    [Fact]
    public void LabelsAreEscaped()
    {
        var svg = SvgCharts.Horizontal([new LabelledValue("<script>alert(1)</script> & co", 1)], "a \"title\"");

        Assert.DoesNotContain("<script>", svg, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;", svg, StringComparison.Ordinal);
        Assert.Contains("&amp; co", svg, StringComparison.Ordinal);
        Parse(svg);
    }

    [Fact]
    public void NoDataGivesAShortSentenceInsteadOfAnEmptyChart()
    {
        Assert.Equal(SvgCharts.Empty, SvgCharts.Growth([], "x"));
        Assert.Equal(SvgCharts.Empty, SvgCharts.Stacked([], "x"));
        Assert.Equal(SvgCharts.Empty, SvgCharts.Horizontal([], "x"));
    }

    [Fact]
    public void CumulativeGrowthFillsEveryDayUpToToday()
    {
        var days = AdminNumbers.Cumulative([new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 3)], new DateOnly(2026, 11, 5));

        Assert.Equal([2, 2, 3, 3, 3], days.Select(d => d.Count));
        Assert.Equal(new DateOnly(2026, 11, 5), days[^1].Day);
    }
}
