using PaperBot.Core.Configuration;

namespace PaperBot.Core.Issues;

public sealed class SampleOptions : IValidatedOptions
{
    public const string Section = "Samples";

    /// <summary>Import and publish the bundled sample into an empty database, so a first start has content.</summary>
    public bool ImportOnFirstStart { get; set; } = true;

    public string File { get; set; } = "samples/digest-sample.txt";

    public string FilePath => Path.IsPathRooted(File) ? File : Path.Combine(AppContext.BaseDirectory, File);

    public IEnumerable<string> Validate()
    {
        if (ImportOnFirstStart && !System.IO.File.Exists(FilePath))
            yield return $"Samples:File names '{FilePath}', which does not exist (or set Samples:ImportOnFirstStart=false)";
    }
}
