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
    private readonly IOptions<DeliveryOptions> options;
    private readonly bool commandLine;
    private readonly string random = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));

    public InstanceIdentity(IOptions<DeliveryOptions> options)
        : this(options, commandLine: false)
    {
    }

    private InstanceIdentity(IOptions<DeliveryOptions> options, bool commandLine) => (this.options, this.commandLine) = (options, commandLine);

    /// <summary>
    /// A command-line verb's: it runs beside the bot and reads the same configuration, <c>Delivery:InstanceId</c> too,
    /// so it is named after that id but is never the bot (<c>ID-cli:1a2b3c4d</c>): a lease the bot holds is not the verb's.
    /// </summary>
    public static InstanceIdentity ForCommandLine(IOptions<DeliveryOptions> options) => new(options, commandLine: true);

    public string Name => options.Value.InstanceId switch
    {
        { Length: 0 } => $"{Environment.MachineName}:{random}",
        var configured when commandLine => $"{configured}-cli:{random}",
        var configured => configured,
    };
}
