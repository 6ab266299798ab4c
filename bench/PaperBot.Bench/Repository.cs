namespace PaperBot.Bench;

/// <summary>The repository the bench runs in, found from the working directory up (the folder holding Bot.sln).</summary>
public static class Repository
{
    public static string Root
    {
        get
        {
            var directory = new DirectoryInfo(Environment.CurrentDirectory);
            while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Bot.sln")))
                directory = directory.Parent;
            return directory?.FullName ?? throw new InvalidOperationException("run the bench from the repository (Bot.sln not found above the working directory)");
        }
    }
}
