using PaperBot.Core.Configuration;
using PaperBot.Core.Data;
using PaperBot.Core.Subscribers;

namespace PaperBot.Core.Sending;

public sealed class DeliveryOptions : IValidatedOptions
{
    public const string Section = "Delivery";

    /// <summary>The global send rate of each channel; 0 = no limit (a self-hosted Bot API server, paid broadcasts).</summary>
    public double MessagesPerSecond { get; set; } = 25;

    /// <summary>Sends of one delivery before it is marked failed (rate-limit waits do not count).</summary>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>The wait before the first retry of a failed send; each further retry waits twice as long, at most 10 minutes.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Sends in flight at once per channel.</summary>
    public int MaxConcurrency { get; set; } = 64;

    /// <summary>The most deliveries claimed at once when the rate does not decide the batch.</summary>
    public int MaxBatch { get; set; } = 500;

    /// <summary>How long a claim holds (renewed while sending); an instance that dies mid-push lets go of its deliveries after this.</summary>
    public TimeSpan ClaimLease { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often a send that went out without an answer (it may have arrived) is sent again before the delivery fails.</summary>
    public int MaxAmbiguousRetries { get; set; } = 1;

    /// <summary>Failed sends in a row (5xx, refused connections, no answers) after which the channel counts as down and pushes wait.</summary>
    public int ChannelDownAfter { get; set; } = 10;

    /// <summary>While a channel is down, one delivery is tried this often to find out whether it is back.</summary>
    public TimeSpan ProbeInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Who claims deliveries; empty = chosen per storage (see <see cref="DeliveryClaims"/>). At most <see cref="InstanceIdentity.MaxConfiguredLength"/> characters.</summary>
    public string InstanceId { get; set; } = "";

    /// <summary>Per-channel ceilings set by the channels themselves (Telegram's paid broadcasts lift its rate to 1,000/s).</summary>
    public Dictionary<Channel, double> ChannelRates { get; } = [];

    public double RateFor(Channel channel) => ChannelRates.TryGetValue(channel, out var rate) ? rate : MessagesPerSecond;

    public IEnumerable<string> Validate()
    {
        if (MessagesPerSecond < 0 || double.IsNaN(MessagesPerSecond))
            yield return $"Delivery:MessagesPerSecond must be 0 (no limit) or more, not {MessagesPerSecond}";
        if (MaxAttempts < 1)
            yield return "Delivery:MaxAttempts must be at least 1";
        if (RetryDelay <= TimeSpan.Zero)
            yield return "Delivery:RetryDelay must be positive, e.g. 00:00:05";
        if (MaxConcurrency is < 1 or > 1024)
            yield return "Delivery:MaxConcurrency must be between 1 and 1024";
        if (MaxBatch is < 1 or > 10_000)
            yield return "Delivery:MaxBatch must be between 1 and 10000";
        if (ClaimLease < TimeSpan.FromSeconds(5))
            yield return "Delivery:ClaimLease must be at least 00:00:05";
        if (MaxAmbiguousRetries is < 0 or > 5)
            yield return "Delivery:MaxAmbiguousRetries must be between 0 and 5";
        if (ChannelDownAfter < 1)
            yield return "Delivery:ChannelDownAfter must be at least 1";
        if (ProbeInterval < TimeSpan.FromSeconds(1))
            yield return "Delivery:ProbeInterval must be at least 00:00:01";
        // It is stored with every claim and lease, a command-line verb's with "-cli:" and 8 characters more.
        if (InstanceId.Length > InstanceIdentity.MaxConfiguredLength)
            yield return $"Delivery:InstanceId must be at most {InstanceIdentity.MaxConfiguredLength} characters (it names this instance in claims and leases), not {InstanceId.Length}";
    }
}
