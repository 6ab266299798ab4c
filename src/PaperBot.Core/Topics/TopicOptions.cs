using PaperBot.Core.Configuration;

namespace PaperBot.Core.Topics;

public sealed class TopicOptions : IValidatedOptions
{
    public const string Section = "Topics";

    /// <summary>The topic catalogue; a relative path is found next to the program.</summary>
    public string Catalog { get; set; } = "config/topics.json";

    public string CatalogPath => Path.IsPathRooted(Catalog) ? Catalog : Path.Combine(AppContext.BaseDirectory, Catalog);

    public IEnumerable<string> Validate()
    {
        if (!File.Exists(CatalogPath))
            yield return $"Topics:Catalog names '{CatalogPath}', which does not exist";
    }
}
