using System.Globalization;
using System.Text;

namespace PaperBot.Core.Delivery;

/// <summary>The stats report as plain text, for /stats and the <c>stats</c> command line verb.</summary>
public static class StatsText
{
    public static string Render(Stats stats)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Subscribers: {stats.Active} active");
        foreach (var group in stats.Subscribers.GroupBy(s => s.Channel))
            text.AppendLine(CultureInfo.InvariantCulture, $"  {group.Key}: {string.Join(", ", group.Select(s => $"{s.Status.ToString().ToLowerInvariant()} {s.Count}"))}");

        text.AppendLine("Topics (active subscribers filtering on them):");
        if (stats.Topics.Count == 0)
            text.AppendLine("  none: everyone receives every paper");
        foreach (var topic in stats.Topics.Take(10))
            text.AppendLine(CultureInfo.InvariantCulture, $"  {topic.Topic} {topic.Subscribers}");

        text.AppendLine("Pushes:");
        if (stats.Pushes.Count == 0)
            text.AppendLine("  none yet");
        foreach (var push in stats.Pushes)
        {
            var what = push.Kind == PushKind.Issue ? $"issue {push.IssueId}" : "broadcast";
            text.AppendLine(CultureInfo.InvariantCulture,
                $"  #{push.PushId} {what} {push.CreatedAt:yyyy-MM-dd HH:mm}: {push.Recipients} recipients, sent {push.Sent}, skipped {push.Skipped}, blocked {push.Blocked}, failed {push.Failed}, pending {push.Pending}");
        }

        return text.ToString().TrimEnd();
    }
}
