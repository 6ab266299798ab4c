using Microsoft.Extensions.Options;
using PaperBot.Core.Sending;
using PaperBot.Core.Stats;

namespace PaperBot.Cli;

public static class StatsVerb
{
    public static readonly Verb Definition = new("stats", "stats", "subscribers by channel and status, topic popularity, recent pushes", RunAsync);

    private static async Task<int> RunAsync(VerbContext context)
    {
        var stats = await context.Get<StatsReport>().BuildAsync(recentPushes: 10, context.CancellationToken);
        var next = await context.Get<PushEstimate>().ForAudienceAsync(includeChannelPosts: true, context.CancellationToken);
        var channels = await context.Get<ChannelHealth>().ReadAsync(context.CancellationToken);
        return context.Done(StatsText.Render(stats, next, channels, context.Get<IOptions<DeliveryOptions>>().Value));
    }
}
