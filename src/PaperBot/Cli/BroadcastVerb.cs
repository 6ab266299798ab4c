using PaperBot.Core.Publishing;

namespace PaperBot.Cli;

public static class BroadcastVerb
{
    public static readonly Verb Definition = new(
        "broadcast", "broadcast --text TEXT", "queue an announcement to every active subscriber", RunAsync, "text")
    {
        Validate = Check,
    };

    private static int? Check(VerbContext context)
    {
        var text = context.Option("text")?.Trim();
        if (string.IsNullOrEmpty(text))
            return context.UsageError("--text is required");
        if (text.Length > Broadcaster.MaxTextLength)
            return context.Fail($"the text is {text.Length} characters; at most {Broadcaster.MaxTextLength}");
        return null;
    }

    private static async Task<int> RunAsync(VerbContext context)
    {
        var text = context.Option("text")!.Trim();
        var push = await context.Get<Broadcaster>().QueueAsync(text, "cli", context.CancellationToken);
        return context.Done($"queued broadcast {push.Id} to {push.RecipientCount} subscribers; the running bot sends it");
    }
}
