namespace PaperBot.Bench;

/// <summary>The command that produced a section, written into it; a connection string is not (it may hold a password).</summary>
public static class BenchCommand
{
    public const string Prefix = "dotnet run -c Release --project bench/PaperBot.Bench --";

    public static string Render(string mode, IReadOnlyList<string> args)
    {
        var shown = new List<string> { Prefix, mode };
        for (var i = 0; i < args.Count; i++)
        {
            shown.Add(args[i]);
            if (args[i] == "--postgres" && i + 1 < args.Count)
            {
                shown.Add("\"$PAPERBOT_BENCH_POSTGRES\"");
                i++;
            }
        }

        return string.Join(' ', shown.Select(a => a.Contains(' ', StringComparison.Ordinal) && !a.StartsWith('"') && a != Prefix ? $"\"{a}\"" : a));
    }
}
