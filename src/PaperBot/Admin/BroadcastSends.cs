using System.Collections.Concurrent;
using PaperBot.Core.Publishing;

namespace PaperBot.Admin;

/// <summary>A broadcast queued from the admin page: its push and how many it goes to.</summary>
public sealed record QueuedBroadcast(int PushId, int Recipients);

/// <summary>
/// One send per key and text on this instance: the broadcast page gives each preview a key, and a second Send of the
/// same text with it (a double-click past the confirm box, a retried POST) gets the first one's push instead of queueing
/// the announcement again; a text edited after the preview is a new announcement and is queued. The queueing runs in a scope of its own and is not cancelled with the request: a browser that drops the
/// first request for the second must not leave the second waiting on a cancelled first.
/// </summary>
public sealed class BroadcastSends(IServiceScopeFactory scopes)
{
    public const int KeyLength = 32;

    // Keys of previews are few (admins preview by hand); past this many, the oldest are not worth keeping.
    private const int Remembered = 256;

    private readonly ConcurrentDictionary<(string Key, string Text), Lazy<Task<QueuedBroadcast>>> sends = new();

    public static string NewKey() => Guid.NewGuid().ToString("N");

    public async Task<QueuedBroadcast> SendAsync(string text, string? key, string actor)
    {
        if (key is not { Length: KeyLength })
            return await QueueAsync(text, actor);
        if (sends.Count > Remembered)
            sends.Clear();
        var once = sends.GetOrAdd((key, text), _ => new Lazy<Task<QueuedBroadcast>>(() => QueueAsync(text, actor)));
        try
        {
            return await once.Value;
        }
        catch
        {
            sends.TryRemove(new KeyValuePair<(string, string), Lazy<Task<QueuedBroadcast>>>((key, text), once));
            throw;
        }
    }

    private async Task<QueuedBroadcast> QueueAsync(string text, string actor)
    {
        await using var scope = scopes.CreateAsyncScope();
        var push = await scope.ServiceProvider.GetRequiredService<Broadcaster>().QueueAsync(text, actor, CancellationToken.None);
        return new QueuedBroadcast(push.Id, push.RecipientCount);
    }
}
