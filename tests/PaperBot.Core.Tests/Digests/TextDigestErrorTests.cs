using PaperBot.Core.Digests;

namespace PaperBot.Core.Tests.Digests;

public sealed class TextDigestErrorTests
{
    // Line numbers in the cases below count from 1 over these arrays.
    private static readonly string[] Valid =
    [
        "周报:",                                // 1
        "",                                      // 2
        "  1. 第一篇",                           // 3
        "  2. 第二篇",                           // 4
        "",                                      // 5
        "1.第一篇",                              // 6
        "",                                      // 7
        "摘要一。",                              // 8
        "",                                      // 9
        "论文链接:",                             // 10
        "https://arxiv.org/abs/2404.00001",      // 11
        "",                                      // 12
        "2.第二篇",                              // 13
        "",                                      // 14
        "摘要二。",                              // 15
        "",                                      // 16
        "论文链接:",                             // 17
        "https://arxiv.org/abs/2404.00002",      // 18
    ];

    private static string WithLine(int line, string text)
    {
        var lines = Valid.ToArray();
        lines[line - 1] = text;
        return string.Join('\n', lines);
    }

    private static string WithInserted(int line, params string[] inserted) =>
        string.Join('\n', Valid.Take(line - 1).Concat(inserted).Concat(Valid.Skip(line - 1)));

    public static TheoryData<string, string, int, string> SingleErrors => new()
    {
        { "a section title that differs from its contents entry", WithLine(13, "2.第二篇论文"), 13, "section 2 title '第二篇论文' does not match table of contents entry 2 '第二篇'" },
        { "contents listing more papers than there are sections", WithInserted(5, "  3. 第三篇"), 5, "table of contents lists 3 papers but sections 1–2 were found" },
        { "a section missing from the contents", WithLine(4, "") , 13, "section 2 is not in the table of contents, which lists 1 paper" },
        { "a section without a summary", WithLine(15, ""), 13, "section 2 has no summary" },
        { "a summary swallowed by an unbroken title", WithLine(14, "续行"), 13, "section 2 has no summary" },
        { "a label with nothing after it", WithLine(18, ""), 17, "link label '论文链接' has no URL" },
        { "a label followed by another label", WithLine(18, "Github 地址: https://github.com/a/b"), 17, "link label '论文链接' has no URL" },
        { "a label followed by text", WithLine(18, "见原文"), 17, "link label '论文链接' has no URL" },
        { "an ftp URL", WithLine(18, "ftp://example.org/paper.pdf"), 18, "link label '论文链接' has 'ftp://example.org/paper.pdf', which is not an http(s) URL" },
        { "a URL without a scheme", WithLine(18, "arxiv.org/abs/2404.00002"), 18, "link label '论文链接' has 'arxiv.org/abs/2404.00002', which is not an http(s) URL" },
        { "a URL without a scheme on the label line", WithLine(17, "论文链接: www.example.org/x"), 17, "link label '论文链接' has 'www.example.org/x', which is not an http(s) URL" },
        { "a contents entry out of sequence", WithLine(4, "  3. 第二篇"), 4, "table of contents entry 3 follows table of contents entry 1; table of contents entry 2 is missing" },
    };

    [Theory]
    [MemberData(nameof(SingleErrors))]
    public void AProblemIsReportedWithItsLine(string problem, string text, int line, string message)
    {
        var result = DigestParser.Parse(text, DigestFormat.Text);

        Assert.False(result.Succeeded, problem);
        Assert.Null(result.Digest);
        Assert.Contains(new DigestError(line, message), result.Errors);
    }

    [Fact]
    public void TheUnchangedDigestIsValid()
    {
        var result = DigestParser.Parse(string.Join('\n', Valid));

        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        Assert.Equal(2, result.Digest!.Papers.Count);
    }

    [Theory]
    [InlineData(new[] { "1.A", "", "摘要。", "", "3.C", "", "摘要。" }, 5, "section 3 follows section 1; section 2 is missing")]
    [InlineData(new[] { "1.A", "", "摘要。", "", "5.E", "", "摘要。" }, 5, "section 5 follows section 1; sections 2–4 are missing")]
    [InlineData(new[] { "2.B", "", "摘要。" }, 1, "section 2 comes first; sections are numbered from 1, so section 1 is missing")]
    [InlineData(new[] { "1.A", "", "摘要。", "", "1.A again", "", "摘要。" }, 5, "section 1 appears twice; the first is at line 1")]
    [InlineData(new[] { "1.A", "", "摘要。", "", "3.C", "", "摘要。", "", "2.B", "", "摘要。" }, 9, "section 2 comes after section 3; sections must be numbered 1, 2, 3… in order")]
    [InlineData(new[] { "0.Zero", "", "摘要。" }, 1, "section 0 is not allowed; sections are numbered from 1")]
    public void SectionsMustBeNumberedOneToNInOrder(string[] lines, int line, string message)
    {
        var result = DigestParser.Parse(string.Join('\n', lines), DigestFormat.Text);

        Assert.Contains(new DigestError(line, message), result.Errors);
    }

    [Fact]
    public void AMissingSectionIsReportedAtTheContentsAndWhereItShouldBe()
    {
        var text = string.Join('\n', Valid.Take(4).Append("  3. 第三篇").Concat(Valid.Skip(4).Take(8))
            .Concat(["3.第三篇", "", "摘要三。"]));

        var result = DigestParser.Parse(text);

        Assert.Equal(
            [
                new DigestError(4, "table of contents lists 3 papers but sections 1, 3 were found"),
                new DigestError(14, "section 3 follows section 1; section 2 is missing"),
            ],
            result.Errors);
    }

    [Fact]
    public void ContentsWithoutSectionsSayNoSectionsWereFound()
    {
        var result = DigestParser.Parse(string.Join('\n', Valid.Take(5)));

        Assert.Equal([new DigestError(3, "table of contents lists 2 papers but no sections were found")], result.Errors);
    }

    [Fact]
    public void SeveralProblemsAreAllReportedInLineOrder()
    {
        var lines = Valid.ToArray();
        lines[12] = "2.第二篇论文";
        lines[7] = "";
        lines[17] = "ftp://example.org/2";

        var errors = DigestParser.Parse(string.Join('\n', lines)).Errors;

        Assert.Equal([6, 13, 18], errors.Select(e => e.Line));
        Assert.Equal("line 6: section 1 has no summary", errors[0].ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \n\n  \t")]
    [InlineData("\uFEFF")]
    public void EmptyInputIsAnErrorForTheWholeInput(string text)
    {
        Assert.Equal([new DigestError(0, "the input is empty")], DigestParser.Parse(text).Errors);
    }

    [Fact]
    public void TextWithoutSectionsIsAnError()
    {
        var error = Assert.Single(DigestParser.Parse("这只是一段文字。\n没有任何论文。").Errors);

        Assert.Equal(0, error.Line);
        Assert.Contains("no sections were found", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(DigestParser.MaxInputBytes, true)]
    [InlineData(DigestParser.MaxInputBytes + 1, false)]
    public void InputOverOneMegabyteIsRefusedWithLineZero(int bytes, bool accepted)
    {
        var head = "1.标题\n\n摘要。\n";
        var text = head + new string('x', bytes - System.Text.Encoding.UTF8.GetByteCount(head));

        var result = DigestParser.Parse(text);

        Assert.Equal(accepted, result.Succeeded);
        Assert.Equal(!accepted, result.Errors.Any(e => e.Line == 0 && e.Message.Contains("1 MB", StringComparison.Ordinal)));
    }

    [Fact]
    public void ChineseTextOverOneMegabyteIsRefusedAlthoughItHasFewerCharacters()
    {
        var text = "1.标题\n\n" + new string('字', (DigestParser.MaxInputBytes / 3) + 1);

        Assert.Equal(0, Assert.Single(DigestParser.Parse(text).Errors).Line);
    }
}
