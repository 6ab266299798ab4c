using PaperBot.Core.Digests;
using PaperBot.TestServices;

namespace PaperBot.Core.Tests.Digests;

/// <summary>A reading of the sample, in any format, against the hand-written table in tests/Shared/SampleDigest.cs.</summary>
internal static class SampleAssert
{
    public static TheoryData<int> Numbers => [.. SampleDigest.Papers.Select(p => p.Number)];

    /// <param name="title">Where a format's sample spells the title differently from the text's section, that spelling.</param>
    public static void PaperAsWritten(SamplePaper expected, DigestPaper paper, string? title = null)
    {
        Assert.Equal(expected.Number, paper.Number);
        Assert.Equal(title ?? expected.Title, paper.Title);
        Assert.Equal(expected.ArxivId, paper.ArxivId);
        Assert.Equal(new PaperLinks(expected.PaperLink, expected.CodeLink, expected.ProjectLink), paper.Links);
        Assert.StartsWith(expected.SummaryStart, paper.Summary, StringComparison.Ordinal);
        Assert.EndsWith(expected.SummaryEnd, paper.Summary, StringComparison.Ordinal);
        Assert.Equal(expected.Paragraphs, paper.Summary.Split("\n\n").Length);
        Assert.Null(paper.Topics);
    }

    /// <summary>The whole digest: title, intro and the fourteen papers in order.</summary>
    public static void DigestAsWritten(Digest digest, Func<int, string?>? titleOf = null)
    {
        Assert.Equal(SampleDigest.Title, digest.Title);
        Assert.Equal(SampleDigest.Intro, digest.Intro);
        Assert.Equal(Enumerable.Range(1, 14), digest.Papers.Select(p => p.Number));
        foreach (var (expected, paper) in SampleDigest.Papers.Zip(digest.Papers))
            PaperAsWritten(expected, paper, titleOf?.Invoke(expected.Number));
    }
}
