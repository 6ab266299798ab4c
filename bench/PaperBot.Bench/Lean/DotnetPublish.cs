namespace PaperBot.Bench.Lean;

/// <summary>Both apps are measured as the Dockerfile ships PaperBot: a Release publish, ReadyToRun for linux-x64.</summary>
public static class DotnetPublish
{
    public const string Description = "`dotnet publish -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true`, as the Dockerfile publishes";

    public static Task AsDockerfileAsync(string projectDirectory, string output) =>
        BareApp.RunAsync(projectDirectory, "publish", "--configuration", "Release", "--runtime", "linux-x64", "--self-contained", "false",
            "-p:PublishReadyToRun=true", "--output", output);

    /// <summary>Publishes src/PaperBot of the repository the bench runs in (found from the working directory up) and returns PaperBot.dll.</summary>
    public static async Task<string> PaperBotAsync(string output)
    {
        var root = new DirectoryInfo(Environment.CurrentDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Bot.sln")))
            root = root.Parent;
        if (root is null)
            throw new InvalidOperationException("run the lean bench from the repository (Bot.sln not found above the working directory)");
        await AsDockerfileAsync(Path.Combine(root.FullName, "src", "PaperBot"), output);
        return Path.Combine(output, "PaperBot.dll");
    }
}
