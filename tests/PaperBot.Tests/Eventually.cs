namespace PaperBot.Tests;

/// <summary>Waits for a condition that background work (the sending engine, the scheduler) makes true.</summary>
public static class Eventually
{
    public static async Task<bool> HoldsAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
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
