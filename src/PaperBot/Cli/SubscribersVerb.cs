using System.Globalization;
using Microsoft.EntityFrameworkCore;
using PaperBot.Core.Data;
using PaperBot.Core.Subscribers;

namespace PaperBot.Cli;

public static class SubscribersVerb
{
    public static readonly Verb Definition = new(
        "subscribers", "subscribers [--channel telegram|wechat|web] [--status active|visitor|unsubscribed|blocked] [--limit N]",
        "list subscribers, newest first", RunAsync, "channel", "status", "limit")
    {
        Validate = Check,
    };

    private const int DefaultLimit = 100;

    private static int? Check(VerbContext context)
    {
        if (context.Option("channel") is { } channel && !Enum.TryParse<Channel>(channel, ignoreCase: true, out _))
            return context.UsageError($"unknown channel '{channel}'");
        if (context.Option("status") is { } status && !Enum.TryParse<SubscriberStatus>(status, ignoreCase: true, out _))
            return context.UsageError($"unknown status '{status}'");
        if (context.Option("limit") is { } limit && (!int.TryParse(limit, out var n) || n < 1))
            return context.UsageError($"--limit must be a positive number, not '{limit}'");
        return null;
    }

    private static async Task<int> RunAsync(VerbContext context)
    {
        var query = context.Get<PaperBotDbContext>().Subscribers.AsNoTracking().Include(s => s.Topics).AsQueryable();
        if (context.Option("channel") is { } channelText)
        {
            var channel = Enum.Parse<Channel>(channelText, ignoreCase: true);
            query = query.Where(s => s.Channel == channel);
        }

        if (context.Option("status") is { } statusText)
        {
            var status = Enum.Parse<SubscriberStatus>(statusText, ignoreCase: true);
            query = query.Where(s => s.Status == status);
        }

        var limit = context.Option("limit") is { } limitText ? int.Parse(limitText, CultureInfo.InvariantCulture) : DefaultLimit;

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
