namespace PaperBot.Tests;

/// <summary>
/// Tests that need something outside the test run (Chromium, PostgreSQL) skip with one line when it is missing —
/// unless PAPERBOT_REQUIRE_SERVICES=1 (CI sets it), where a missing service fails the test instead.
/// </summary>
public static class Requirements
{
    public const string RequireVariable = "PAPERBOT_REQUIRE_SERVICES";
    public const string ChromiumVariable = "PAPERBOT_TEST_CHROMIUM";
    public const string DefaultChromium = "/usr/bin/chromium";

    public static bool Required => Environment.GetEnvironmentVariable(RequireVariable) == "1";

    /// <summary>Skips (or, when required, fails) the calling test unless <paramref name="available"/>.</summary>
    public static void Service(bool available, string missing)
    {
        if (available)
            return;
        if (Required)
            Assert.Fail($"{missing}; {RequireVariable}=1 says every test must run");
        Skip.If(true, missing);
    }

    /// <summary>The Chromium to drive: PAPERBOT_TEST_CHROMIUM, else Debian's /usr/bin/chromium.</summary>
    public static string Chromium()
    {
        var path = Environment.GetEnvironmentVariable(ChromiumVariable) is { Length: > 0 } configured ? configured : DefaultChromium;
        Service(File.Exists(path), $"no Chromium at {path} (apt-get install chromium, or set {ChromiumVariable})");
        return path;
    }
}
