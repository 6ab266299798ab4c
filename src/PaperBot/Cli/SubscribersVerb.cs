using Microsoft.EntityFrameworkCore;
using PaperBot.Core.Data;
using PaperBot.Core.Subscribers;

namespace PaperBot.Cli;

public static class SubscribersVerb
{
    public static readonly Verb Definition = new(
        "subscribers", "subscribers [--channel telegram|wechat|web] [--status active|visitor|unsubscribed|blocked] [--limit N]",
        "list subscribers, newest first", RunAsync, "channel", "status", "limit");

    private static async Task<int> RunAsync(VerbContext context)
    {
        var query = context.Get<PaperBotDbContext>().Subscribers.AsNoTracking().Include(s => s.Topics).AsQueryable();
        if (context.Option("channel") is { } channelText)
        {
            if (!Enum.TryParse<Channel>(channelText, ignoreCase: true, out var channel))
                return context.UsageError($"unknown channel '{channelText}'");
            query = query.Where(s => s.Channel == channel);
        }

        if (context.Option("status") is { } statusText)
        {
            if (!Enum.TryParse<SubscriberStatus>(statusText, ignoreCase: true, out var status))
                return context.UsageError($"unknown status '{statusText}'");
            query = query.Where(s => s.Status == status);
        }

        var limit = 100;
        if (context.Option("limit") is { } limitText && (!int.TryParse(limitText, out limit) || limit < 1))
            return context.UsageError($"--limit must be a positive number, not '{limitText}'");

        var total = await query.CountAsync(context.CancellationToken);
        var subscribers = await query.OrderByDescending(s => s.Id).Take(limit).ToListAsync(context.CancellationToken);
        await context.Out.WriteLineAsync($"{"ID",6}  {"CHANNEL",-9} {"CHAT",-20} {"STATUS",-12} {"LANG",-4} {"LAST SEEN",-16} TOPICS");
        foreach (var s in subscribers)
        {
            var topics = s.Topics.Count == 0 ? "(all)" : string.Join(",", s.Topics.Select(t => t.Topic));
            await context.Out.WriteLineAsync($"{s.Id,6}  {s.Channel.ToString().ToLowerInvariant(),-9} {s.ChatId,-20} {s.Status.ToString().ToLowerInvariant(),-12} {s.Language,-4} {s.LastSeenAt,-16:yyyy-MM-dd HH:mm} {topics}");
        }

        await context.Out.WriteLineAsync($"{subscribers.Count} of {total} shown");
        return 0;
    }
}
