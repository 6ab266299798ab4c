using System.Globalization;
using System.Text;
using PaperBot.Core.Publishing;
using PaperBot.Core.Sending;

namespace PaperBot.Core.Stats;

/// <summary>The stats report as plain text, for /stats and the <c>stats</c> command line verb.</summary>
public static class StatsText
{
    public static string Render(Stats stats, Estimate nextPush, IReadOnlyList<ChannelCondition> channels, DeliveryOptions delivery)
    {
        var text = new StringBuilder();
        foreach (var down in channels.Where(c => c.IsDown))
            text.AppendLine(CultureInfo.InvariantCulture, $"{down.Channel} is DOWN since {down.DownSince:yyyy-MM-dd HH:mm} UTC: {down.DownReason} (pushes wait; nobody is failed; next probe {down.ProbeAt:HH:mm:ss} UTC)");
        text.AppendLine(CultureInfo.InvariantCulture, $"Subscribers: {stats.Active} active");
        foreach (var group in stats.Subscribers.GroupBy(s => s.Channel))
            text.AppendLine(CultureInfo.InvariantCulture, $"  {group.Key}: {string.Join(", ", group.Select(s => $"{s.Status.ToString().ToLowerInvariant()} {s.Count}"))}");

        text.AppendLine("Topics (active subscribers filtering on them):");
        if (stats.Topics.Count == 0)
            text.AppendLine("  none: everyone receives every paper");
        foreach (var topic in stats.Topics.Take(10))
            text.AppendLine(CultureInfo.InvariantCulture, $"  {topic.Topic} {topic.Subscribers}");

        text.AppendLine(nextPush.Duration is { } duration
            ? string.Create(CultureInfo.InvariantCulture, $"Next push: {nextPush.Recipients} recipients, about {Durations.Format(duration)} at {nextPush.MessagesPerSecond:0.#} msg/s")
            : string.Create(CultureInfo.InvariantCulture, $"Next push: {nextPush.Recipients} recipients, no rate limit"));
        if (delivery.MessagesPerSecond > 0 && nextPush.Recipients > 0)
            text.AppendLine(CultureInfo.InvariantCulture, $"  (Delivery__MessagesPerSecond={delivery.MessagesPerSecond:0.#}; Telegram__AllowPaidBroadcast=true lifts Telegram to 1000 msg/s)");

        text.AppendLine("Pushes:");
        if (stats.Pushes.Count == 0)
            text.AppendLine("  none yet");
        foreach (var push in stats.Pushes)
        {
            var what = push.Kind == PushKind.Issue ? $"issue {push.IssueId}" : "broadcast";
            var state = push.CompletedAt is null ? (push.Pending > 0 ? "sending" : "draft") : "done";
            text.AppendLine(CultureInfo.InvariantCulture,
                $"  #{push.PushId} {what} {push.CreatedAt:yyyy-MM-dd HH:mm} {state}: {push.Recipients} recipients, sent {push.Sent}, skipped {push.Skipped}, blocked {push.Blocked}, failed {push.Failed}, waiting {push.Waiting}, pending {push.Pending}");
        }

        return text.ToString().TrimEnd();
    }
}
