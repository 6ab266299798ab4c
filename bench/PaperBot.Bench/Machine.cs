using System.Globalization;
using System.Runtime.InteropServices;

namespace PaperBot.Bench;

/// <summary>What the figures were measured on, and how busy the machine was (it is shared).</summary>
public static class Machine
{
    public static string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"{CpuModel()}, {Environment.ProcessorCount} cores, {MemoryGiB():0} GiB RAM, {RuntimeInformation.OSDescription}, .NET {Environment.Version}");

    public static string Now() => DateTimeOffset.UtcNow.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    /// <summary>The 1-minute load average, as <c>uptime</c> prints it.</summary>
    public static double Load()
    {
        try
        {
            return double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return double.NaN;
        }
    }

    /// <summary>A run started at a load above twice the cores competed for the CPU; its figures are flagged.</summary>
    public static bool Busy(double load) => load > 2 * Environment.ProcessorCount;

    private static string CpuModel()
    {
        try
        {
            return File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown CPU";
        }
        catch (IOException)
        {
            return "unknown CPU";
        }
    }

    private static double MemoryGiB() => GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 1024.0 / 1024 / 1024;
}
