namespace PaperBot.Core.Topics;

public sealed record TopicNames(string Zh, string En);

/// <summary>A research topic; <see cref="Keywords"/> holds the Chinese keywords, then the English ones.</summary>
public sealed record Topic(string Slug, TopicNames Names, IReadOnlyList<string> Keywords)
{
    public string Name(string language) => language == "en" ? Names.En : Names.Zh;
}
