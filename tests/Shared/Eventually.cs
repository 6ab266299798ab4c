namespace PaperBot.TestServices;

/// <summary>Waits for a condition that background work (the sending engine, the scheduler) makes true.</summary>
public static class Eventually
{
    /// <summary>Polls <paramref name="condition"/> until it holds or <paramref name="timeout"/> (10 s) passes.</summary>
    public static async Task<bool> HoldsAsync(Func<Task<bool>> condition, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
                return true;
            await Task.Delay(50);
        }

        return await condition();
    }

    /// <summary>Fails the test with <paramref name="what"/> when the condition does not hold in time.</summary>
    public static async Task AssertAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        if (!await HoldsAsync(condition, timeout ?? TimeSpan.FromSeconds(20)))
            Assert.Fail($"timed out waiting for {what}");
    }
}
