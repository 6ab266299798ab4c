using PaperBot.Core.Configuration;

namespace PaperBot.Core.Topics;

public sealed class TopicOptions : IValidatedOptions
{
    public const string Section = "Topics";

    /// <summary>The topic catalogue; a relative path is found next to the program.</summary>
    public string Catalog { get; set; } = "config/topics.json";

    public string CatalogPath => Path.IsPathRooted(Catalog) ? Catalog : Path.Combine(AppContext.BaseDirectory, Catalog);

    /// <summary>The tagger's model (bench: <c>topics train</c>); loaded at the first import, not at start.</summary>
    public string Model { get; set; } = "config/topic-model.json";

    public string ModelPath => Path.IsPathRooted(Model) ? Model : Path.Combine(AppContext.BaseDirectory, Model);

    public IEnumerable<string> Validate()
    {
        if (!File.Exists(CatalogPath))
            yield return $"Topics:Catalog names '{CatalogPath}', which does not exist";
        if (!File.Exists(ModelPath))
            yield return $"Topics:Model names '{ModelPath}', which does not exist";
    }
}
