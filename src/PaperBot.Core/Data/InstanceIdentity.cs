using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using PaperBot.Core.Sending;

namespace PaperBot.Core.Data;

/// <summary>
/// Who this process is in claims and leases: new at every start (a restarted container is a new claimer even when its
/// name and PID 1 are the same), unless <c>Delivery:InstanceId</c> names it.
/// </summary>
public sealed class InstanceIdentity
{
    /// <summary>The longest name: what a delivery's claim (<c>Deliveries.ClaimedBy</c>) holds; a lease's holder holds more.</summary>
    public const int MaxLength = 64;

    /// <summary>What a command-line verb adds to a configured id (<c>-cli:1a2b3c4d</c>).</summary>
    private const int CommandLineSuffixLength = 13;

    /// <summary>The longest <c>Delivery:InstanceId</c>: with a verb's suffix it still fits <see cref="MaxLength"/>.</summary>
    public const int MaxConfiguredLength = MaxLength - CommandLineSuffixLength;

    private readonly IOptions<DeliveryOptions> options;
    private readonly bool commandLine;
    private readonly string machine;
    private readonly string random = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));

    public InstanceIdentity(IOptions<DeliveryOptions> options)
        : this(options, commandLine: false, Environment.MachineName)
    {
    }

    internal InstanceIdentity(IOptions<DeliveryOptions> options, bool commandLine, string machine) =>
        (this.options, this.commandLine, this.machine) = (options, commandLine, machine);

    /// <summary>
    /// A command-line verb's: it runs beside the bot and reads the same configuration, <c>Delivery:InstanceId</c> too,
    /// so it is named after that id but is never the bot (<c>ID-cli:1a2b3c4d</c>): a lease the bot holds is not the verb's.
    /// </summary>
    public static InstanceIdentity ForCommandLine(IOptions<DeliveryOptions> options) => new(options, commandLine: true, Environment.MachineName);

    /// <summary>
    /// The configured id, or the machine's name (a host name may be 64 characters, a Kubernetes pod's 63) cut to leave
    /// room for the random part.
    /// </summary>
    public string Name => options.Value.InstanceId switch
    {
        { Length: 0 } => $"{(machine.Length > MaxLength - 9 ? machine[..(MaxLength - 9)] : machine)}:{random}",
        var configured when commandLine => $"{configured}-cli:{random}",
        var configured => configured,
    };
}
