using PaperBot.Admin;

namespace PaperBot.Tests.Admin;

public sealed class PasswordHashTests
{
    [Fact]
    public void TheRightPasswordMatchesAndOthersDoNot()
    {
        var hash = PasswordHash.Of("s3cret-Passw0rd");

        Assert.True(hash.Matches("s3cret-Passw0rd"));
        Assert.False(hash.Matches("s3cret-passw0rd"));
        Assert.False(hash.Matches("s3cret-Passw0rd "));
        Assert.False(hash.Matches(""));
    }

    [Fact]
    public void TheSameNonAsciiPasswordMatches()
    {
        Assert.True(PasswordHash.Of("管理员密码🔑").Matches("管理员密码🔑"));
    }

    [Fact]
    public void TheHashNeverShowsThePassword()
    {
        var hash = PasswordHash.Of("visible?");

        Assert.DoesNotContain("visible", hash.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void OneTimePasswordsAreSixteenUnambiguousCharactersAndDiffer()
    {
        var passwords = Enumerable.Range(0, 50).Select(_ => PasswordHash.NewOneTimePassword()).ToList();

        Assert.All(passwords, p => Assert.Equal(16, p.Length));
        Assert.All(passwords, p => Assert.DoesNotContain(p, c => "0O1lI".Contains(c, StringComparison.Ordinal) || !char.IsAsciiLetterOrDigit(c)));
        Assert.Equal(50, passwords.Distinct().Count());
    }
}

public sealed class AdminPageOptionsTests
{
    [Theory]
    [InlineData("short", "Admin:Password must be at least 8 characters")]
    [InlineData("", null)]
    [InlineData("long enough", null)]
    public void APasswordIsEmptyOrAtLeastEightCharacters(string password, string? problem)
    {
        var problems = new PaperBot.Admin.AdminPageOptions { Password = password }.Validate().ToList();

        if (problem is null)
            Assert.Empty(problems);
        else
            Assert.StartsWith(problem, Assert.Single(problems), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AShortPasswordStopsTheStartWithOneLineNamingTheKeyAndNotThePassword()
    {
        await using var host = HostProcess.Start(new Dictionary<string, string> { ["Admin__Password"] = "hunter2" });

        Assert.Equal(2, await host.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        var line = Assert.Single(host.Error.Trim().Split('\n'));
        Assert.StartsWith("configuration: Admin:Password must be at least 8 characters", line, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", host.Output + host.Error, StringComparison.Ordinal);
    }
}
