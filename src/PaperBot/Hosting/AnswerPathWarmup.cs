using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using PaperBot.Core.Commands;
using PaperBot.Core.Subscribers;
using PaperBot.Web;

namespace PaperBot.Hosting;

/// <summary>
/// Before the host reports healthy: answer one "/paper 1" in-process, as the console would, so that the first readers
/// after a deploy or a crash do not wait while the command engine's queries and replies are compiled (issue 14).
/// A passing visitor is not stored, so this leaves nothing in the database. Then the start-up's garbage is collected.
/// </summary>
public sealed class AnswerPathWarmup(IServiceScopeFactory scopes, IOptions<JsonOptions> json, ILogger<AnswerPathWarmup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var started = TimeProvider.System.GetTimestamp();
        await using var scope = scopes.CreateAsyncScope();
        var engine = scope.ServiceProvider.GetRequiredService<CommandEngine>();
        var reply = await engine.HandleAsync(new InboundMessage(Channel.Web, "warm-up", "warm-up", "/paper 1"), cancellationToken);
        JsonSerializer.Serialize(ChatApi.ToResponse(reply), json.Value.SerializerOptions);
        // Start-up leaves garbage in pages nothing touches again; one aggressive collection before serving gives them
        // back (about 9 MiB of the idle resident set, docs/benchmarks.md, Lean) for a few milliseconds of start.
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        logger.LogDebug("startup: answer path warmed in {ElapsedMs} ms", TimeProvider.System.GetElapsedTime(started).TotalMilliseconds);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
