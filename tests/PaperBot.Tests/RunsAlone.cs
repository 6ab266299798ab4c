namespace PaperBot.Tests;

/// <summary>
/// Tests that start bot processes and measure their timing run alone, after the others: on two cores, running
/// beside the rest of the suite would measure the machine's load rather than the bot.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RunsAlone
{
    public const string Name = "bot processes";
}
