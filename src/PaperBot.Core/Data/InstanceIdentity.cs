using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using PaperBot.Core.Sending;

namespace PaperBot.Core.Data;

/// <summary>
/// Who this process is in claims and leases: new at every start (a restarted container is a new claimer even when its
/// name and PID 1 are the same), unless <c>Delivery:InstanceId</c> names it.
/// </summary>
public sealed class InstanceIdentity(IOptions<DeliveryOptions> options)
{
    private readonly string generated = $"{Environment.MachineName}:{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}";

    public string Name => options.Value.InstanceId.Length > 0 ? options.Value.InstanceId : generated;
}
