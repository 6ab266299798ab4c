namespace PaperBot.Core.Tests;

/// <summary>Files the build copies next to the tests (see the project file).</summary>
internal static class TestFiles
{
    public static string PathOf(string relativePath) => Path.Combine(AppContext.BaseDirectory, relativePath);

    public static string Read(string relativePath) => File.ReadAllText(PathOf(relativePath));

    public static string SampleText => Read("samples/digest-sample.txt");

    public static string SampleMarkdown => Read("samples/digest-sample.md");

    public static string SampleJson => Read("samples/digest-sample.json");
}
