using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using PaperBot.Core.Subscribers;

namespace PaperBot.Core.Sending;

/// <summary>
/// The sending engine's instruments (meter "PaperBot.Delivery"), exported as Prometheus metrics by the host. The meter
/// comes from the container's <see cref="IMeterFactory"/>, so it is disposed with the host that made it.
/// </summary>
public sealed class DeliveryMetrics
{
    public const string MeterName = "PaperBot.Delivery";

    private readonly Counter<long> sent;
    private readonly Counter<long> failed;
    private readonly Histogram<double> latency;
    private readonly ConcurrentDictionary<Channel, long> queueDepth = new();

    public DeliveryMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        sent = meter.CreateCounter<long>("paperbot.messages.sent", "{message}", "Messages delivered, by channel");
        failed = meter.CreateCounter<long>("paperbot.messages.failed", "{message}", "Sends that did not deliver, by channel and outcome");
        latency = meter.CreateHistogram<double>("paperbot.send.latency", "s", "Time one send to a channel's API took");
        meter.CreateObservableGauge("paperbot.queue.depth", () => queueDepth.Select(d => new Measurement<long>(d.Value, new KeyValuePair<string, object?>("channel", Name(d.Key)))),
            "{delivery}", "Deliveries waiting to be sent, by channel");
    }

    public void Record(Channel channel, SendOutcome outcome, TimeSpan elapsed)
    {
        var tag = new KeyValuePair<string, object?>("channel", Name(channel));
        latency.Record(elapsed.TotalSeconds, tag);
        if (outcome is SendOutcome.Delivered)
            sent.Add(1, tag);
        else
            failed.Add(1, tag, new KeyValuePair<string, object?>("outcome", outcome.GetType().Name.ToLowerInvariant()));
    }

    public void QueueDepth(Channel channel, long pending) => queueDepth[channel] = pending;

    private static string Name(Channel channel) => channel.ToString().ToLowerInvariant();
}
