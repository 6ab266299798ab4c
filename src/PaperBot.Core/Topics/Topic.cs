namespace PaperBot.Core.Topics;

public sealed record TopicNames(string Zh, string En)
{
    public string In(string language) => language == "en" ? En : Zh;
}

/// <summary>A keyword and how much one mention of it counts ("混合专家^2" in the catalogue weighs 2).</summary>
public sealed record TopicTerm(string Text, double Weight);

/// <summary>
/// A research topic. <see cref="Terms"/> are evidence for it, <see cref="Exclusions"/> evidence against it
/// (a "low-cost robot" is not an efficiency paper); <see cref="Description"/> is the labelling guide's line.
/// </summary>
public sealed record Topic(string Slug, TopicNames Names, IReadOnlyList<TopicTerm> Terms, IReadOnlyList<TopicTerm> Exclusions, TopicNames? Description = null)
{
    public IReadOnlyList<string> Keywords => [.. Terms.Select(t => t.Text)];

    public string Name(string language) => Names.In(language);

    public string? Describe(string language) => Description?.In(language);
}
