namespace PaperBot.Bench.Lean;

/// <summary>Both apps are measured as the Dockerfile ships PaperBot: a Release publish, ReadyToRun for linux-x64.</summary>
public static class DotnetPublish
{
    public const string Description = "`dotnet publish -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true`, as the Dockerfile publishes";

    public static Task AsDockerfileAsync(string projectDirectory, string output) =>
        BareApp.RunAsync(projectDirectory, "publish", "--configuration", "Release", "--runtime", "linux-x64", "--self-contained", "false",
            "-p:PublishReadyToRun=true", "--output", output);

    /// <summary>Publishes src/PaperBot of the repository the bench runs in and returns PaperBot.dll.</summary>
    public static async Task<string> PaperBotAsync(string output)
    {
        await AsDockerfileAsync(Path.Combine(Repository.Root, "src", "PaperBot"), output);
        return Path.Combine(output, "PaperBot.dll");
    }
}
