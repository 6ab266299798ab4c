using PaperBot.Core.Arxiv;
using PaperBot.Core.Issues;

namespace PaperBot.Core.Tests.Arxiv;

public sealed class ArxivAtomTests
{
    public static string Response => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Arxiv", "arxiv-response.xml"));

    [Fact]
    public void AFeedOfThreePapersGivesEachItsAuthorsTitleAbstractCategoryAndFirstPublication()
    {
        var entries = ArxivAtom.Parse(Response);

        Assert.Equal(["2404.07839", "2404.07413", "2404.07965"], entries.Select(e => e.ArxivId));
        var jetMoe = entries[1];
        Assert.Equal("JetMoE: Reaching Llama2 Performance with 0.1M Dollars", jetMoe.Title);
        Assert.Equal(["Yikang Shen", "Zhen Guo", "Tianle Cai", "Zengyi Qin"], jetMoe.Authors);
        Assert.Equal("cs.CL", jetMoe.PrimaryCategory);
        Assert.Equal(new DateTimeOffset(2024, 4, 11, 0, 52, 39, TimeSpan.Zero), jetMoe.Published);
        Assert.StartsWith("Large Language Models (LLMs) have achieved remarkable results, but their increasing resource demand", jetMoe.Abstract);
    }

    [Fact]
    public void AWrappedTitleBecomesOneLineAndTheVersionIsNotPartOfTheId()
    {
        var gemma = ArxivAtom.Parse(Response)[0];

        Assert.Equal("RecurrentGemma: Moving Past Transformers for Efficient Open Language Models", gemma.Title);
        Assert.Equal("2404.07839", gemma.ArxivId);
        Assert.Equal(new DateTimeOffset(2024, 4, 11, 15, 27, 22, TimeSpan.Zero), gemma.Published);
    }

    [Fact]
    public void AnIdArxivDoesNotKnowGivesAnEmptyFeed()
    {
        Assert.Empty(ArxivAtom.Parse("""
            <?xml version='1.0' encoding='UTF-8'?>
            <feed xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns="http://www.w3.org/2005/Atom">
              <id>https://arxiv.org/api/SkuXkYxumgL1drFIL7NufdnpkFc</id>
              <title>arXiv Query: search_query=&amp;id_list=1201.56789&amp;start=0&amp;max_results=10</title>
              <opensearch:totalResults>0</opensearch:totalResults>
            </feed>
            """));
    }

    [Theory]
    [InlineData("Rate exceeded.", "not an Atom feed: 'Rate exceeded.'")]
    [InlineData("""<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>http://arxiv.org/api/errors#incorrect_id_format_for_1234.x</id><title>Error</title><summary>incorrect id format for 1234.x</summary></entry></feed>""", "arXiv refused the query: incorrect id format for 1234.x")]
    public void ThrottlingAndErrorEntriesAreFailuresNotEmptyResults(string body, string message)
    {
        var failure = Assert.Throws<ArxivUnavailableException>(() => ArxivAtom.Parse(body));

        Assert.Equal(message, failure.Message);
    }

    [Fact]
    public void ArxivsBadRequestAnswerNamesTheIdItRefused()
    {
        var refusal = ArxivAtom.RefusalIn("""
            <?xml version="1.0" encoding="UTF-8"?>
            <feed xmlns="http://www.w3.org/2005/Atom">
              <title type="html">ArXiv Query: search_query=&amp;id_list=2404.07413,hep-xx/9901001</title>
              <id>http://arxiv.org/api/kVlIboofRz2V2LVbDdNyRDCLUEY</id>
              <entry>
                <id>http://arxiv.org/api/errors#incorrect_id_format_for_hep-xx/9901001</id>
                <title>Error</title>
                <summary>incorrect id format for hep-xx/9901001</summary>
                <author><name>arXiv api core</name></author>
              </entry>
            </feed>
            """);

        Assert.Equal("hep-xx/9901001", refusal?.RefusedId);
        Assert.Equal("arXiv refused the query: incorrect id format for hep-xx/9901001", refusal?.Message);
    }

    [Theory]
    [InlineData("Bad Request")]
    [InlineData("""<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>http://arxiv.org/api/errors#start_must_be_an_integer</id><title>Error</title><summary>start must be an integer</summary></entry></feed>""")]
    public void ARefusalThatNamesNoIdRefusesNoPaper(string body)
    {
        Assert.Null(ArxivAtom.RefusalIn(body)?.RefusedId);
    }
}

public sealed class BibTexTests
{
    [Fact]
    public void ASamplePaperGetsArxivsOwnBibTexShape()
    {
        var paper = new Paper
        {
            Number = 2,
            Title = "仅用 10 万美元!MIT 训了一个 Llama2 级的大模型",
            Summary = "…",
            ArxivId = "2404.07413",
            EnglishTitle = "JetMoE: Reaching Llama2 Performance with 0.1M Dollars",
            Authors = ["Yikang Shen", "Zhen Guo", "Tianle Cai", "Zengyi Qin"],
            PrimaryCategory = "cs.CL",
            Published = new DateTimeOffset(2024, 4, 11, 0, 52, 39, TimeSpan.Zero),
        };

        Assert.Equal(
            "@misc{shen2024jetmoereachingllama2performance,\n"
            + "      title={JetMoE: Reaching Llama2 Performance with 0.1M Dollars}, \n"
            + "      author={Yikang Shen and Zhen Guo and Tianle Cai and Zengyi Qin},\n"
            + "      year={2024},\n"
            + "      eprint={2404.07413},\n"
            + "      archivePrefix={arXiv},\n"
            + "      primaryClass={cs.CL},\n"
            + "      url={https://arxiv.org/abs/2404.07413}, \n"
            + "}",
            BibTex.Of(paper));
    }

    [Fact]
    public void APaperWithoutMetadataHasNoEntry()
    {
        Assert.Null(BibTex.Of(new Paper { Title = "t", Summary = "s", ArxivId = "2404.07413" }));
    }
}
