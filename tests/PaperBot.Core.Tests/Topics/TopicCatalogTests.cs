using PaperBot.Core.Digests;
using PaperBot.Core.Topics;

namespace PaperBot.Core.Tests.Topics;

public sealed class TopicCatalogTests
{
    private static readonly TopicCatalog Shipped = TopicCatalog.Load(TestFiles.PathOf("config/topics.json"));

    [Fact]
    public void ShippedCatalogueCoversTheFieldWithTwelveToTwentyTopics()
    {
        Assert.InRange(Shipped.All.Count, 12, 20);
        string[] required =
        [
            "architecture", "efficiency", "long-context", "multimodal", "speech-audio", "image-generation",
            "alignment", "reasoning", "data-efficiency", "interpretability", "agents", "moe", "chinese-llm", "open-models",
        ];
        Assert.All(required, slug => Assert.True(Shipped.Contains(slug), slug));
    }

    [Fact]
    public void EveryShippedTopicHasChineseAndEnglishKeywords()
    {
        Assert.All(Shipped.All, topic =>
        {
            Assert.Contains(topic.Keywords, k => k.Any(c => c is >= '\u4E00' and <= '\u9FFF'));
            Assert.Contains(topic.Keywords, k => k.All(c => c < '\u2E80'));
        });
    }

    [Theory]
    [InlineData("moe", "moe")]
    [InlineData("  MoE ", "moe")]
    [InlineData("混合专家", "moe")]
    [InlineData("Mixture of experts", "moe")]
    [InlineData("long context", "long-context")]
    [InlineData("长上下文", "long-context")]
    [InlineData("long", "long-context")]
    [InlineData("spee", "speech-audio")]
    [InlineData("Data-Eff", "data-efficiency")]
    [InlineData("a", null)]
    [InlineData("", null)]
    [InlineData("   ", null)]
    [InlineData("quantum", null)]
    public void FindAcceptsASlugANameOrAUniqueSlugPrefix(string query, string? slug)
    {
        Assert.Equal(slug, Shipped.Find(query)?.Slug);
    }

    [Theory]
    [InlineData("moe", true)]
    [InlineData("MOE", true)]
    [InlineData("data-efficiency", true)]
    [InlineData("data", false)]
    [InlineData("混合专家", false)]
    public void ContainsChecksSlugsOnly(string slug, bool contained)
    {
        Assert.Equal(contained, Shipped.Contains(slug));
    }

    [Theory]
    [InlineData("en", "Long context")]
    [InlineData("zh", "长上下文")]
    [InlineData("fr", "长上下文")]
    public void NameIsEnglishForEnAndChineseOtherwise(string language, string name)
    {
        Assert.Equal(name, Shipped.Find("long-context")!.Name(language));
    }

    [Fact]
    public void KeywordsAreTheChineseThenTheEnglishOnes()
    {
        var catalog = TopicCatalog.Parse("""[{"slug": "moe", "names": {"zh": "混合专家", "en": "MoE"}, "keywords": {"en": ["MoE"], "zh": ["混合专家", "专家混合"]}}]""");

        Assert.Equal(["混合专家", "专家混合", "MoE"], Assert.Single(catalog.All).Keywords);
    }

    public static TheoryData<string, string> Problems => new()
    {
        { "[{\"slug\": \"moe\",\n  \"names\": }]", "bad JSON at line 2" },
        { "{\"slug\": \"moe\"}", "expected a JSON array of topics" },
        { "[\"moe\"]", "topic 1 is not an object" },
        { """[{"names": {"zh": "a", "en": "b"}}]""", "topic 1: 'slug' is missing or not a string" },
        { """[{"slug": "Long Context", "names": {"zh": "a", "en": "b"}}]""", "topic 1 has slug 'Long Context'; slugs are lower-case words joined by hyphens" },
        { """[{"slug": "moe"}]""", "topic 1 ('moe'): 'names' is missing or not an object" },
        { """[{"slug": "moe", "names": {"zh": " ", "en": "MoE"}}]""", "topic 1 ('moe'): 'names.zh' is empty" },
        { """[{"slug": "moe", "names": {"zh": "混合专家"}}]""", "topic 1 ('moe'): 'names.en' is missing or not a string" },
        { """[{"slug": "moe", "names": {"zh": "a", "en": "b"}}, {"slug": "moe", "names": {"zh": "c", "en": "d"}}]""", "duplicate slug 'moe' (topics 1 and 2)" },
        { """[{"slug": "moe", "names": {"zh": "a", "en": "b"}}, {"slug": "rl", "names": {"zh": "c", "en": "B"}}]""", "duplicate name 'B' (topics 1 and 2)" },
        { """[{"slug": "moe", "names": {"zh": "a", "en": "b"}, "keywords": {"en": ["MoE", ""]}}]""", "topic 1 ('moe'): 'keywords.en' must be a list of non-empty strings" },
        { """[{"slug": "moe", "names": {"zh": "a", "en": "b"}, "keywords": ["MoE"]}]""", "topic 1 ('moe'): 'keywords' is not an object of 'zh' and 'en' lists" },
    };

    [Theory]
    [MemberData(nameof(Problems))]
    public void ParseRejectsABadCatalogueWithOneLineSayingWhy(string json, string message)
    {
        var error = Assert.Throws<InvalidDataException>(() => TopicCatalog.Parse(json));

        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void LoadNamesTheFileInItsError()
    {
        var path = Path.Combine(Path.GetTempPath(), $"topics-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, """[{"slug": "moe", "names": {"zh": "a", "en": "b"}}, {"slug": "moe", "names": {"zh": "c", "en": "d"}}]""");
        try
        {
            var error = Assert.Throws<InvalidDataException>(() => TopicCatalog.Load(path));

            Assert.Equal($"{path}: duplicate slug 'moe' (topics 1 and 2)", error.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void ATaggedSlugIsAlwaysInTheCatalogue()
    {
        var tagger = new TopicTagger(Shipped);
        var sample = DigestParser.Parse(TestFiles.SampleText).Digest!;

        Assert.All(sample.Papers.SelectMany(p => tagger.Tag(p.Title, p.Summary)), slug => Assert.True(Shipped.Contains(slug)));
    }
}
