namespace PaperBot.TestServices;

/// <summary>
/// System services some tests need. Where one is missing the test is skipped with a one-line reason, so
/// `dotnet test` passes on a fresh machine — unless PAPERBOT_REQUIRE_SERVICES=1 (CI sets it, after installing and
/// starting them), where a missing service fails the test: CI runs every test or fails.
/// </summary>
public static class Requirements
{
    public const string RequireServices = "PAPERBOT_REQUIRE_SERVICES";
    public const string PostgresVariable = "PAPERBOT_TEST_POSTGRES";
    public const string ChromiumVariable = "PAPERBOT_TEST_CHROMIUM";

    /// <summary>A connection string to a PostgreSQL server whose user may create databases.</summary>
    public static string Postgres() =>
        Environment.GetEnvironmentVariable(PostgresVariable) is { Length: > 0 } connection
            ? connection
            : Missing($"PostgreSQL: set {PostgresVariable} to a server's connection string (.ci/run starts one)");

    /// <summary>The Chromium executable for browser tests.</summary>
    public static string Chromium()
    {
        var path = Environment.GetEnvironmentVariable(ChromiumVariable) is { Length: > 0 } configured ? configured : "/usr/bin/chromium";
        return File.Exists(path) ? path : Missing($"Chromium: no browser at {path} (apt-get install chromium, or set {ChromiumVariable})");
    }

    public const string CjkFontPath = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc";

    /// <summary>Noto Sans CJK, which the generated WeChat cover is drawn with.</summary>
    public static string CjkFont() =>
        File.Exists(CjkFontPath) ? CjkFontPath : Missing($"Noto Sans CJK: no font at {CjkFontPath} (apt-get install fonts-noto-cjk)");

    private static string Missing(string reason)
    {
        if (Environment.GetEnvironmentVariable(RequireServices) == "1")
            throw new InvalidOperationException($"{RequireServices}=1 but {reason}");
        throw new SkipException(reason);
    }
}
