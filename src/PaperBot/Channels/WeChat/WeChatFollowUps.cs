using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using PaperBot.WeChat;

namespace PaperBot.Channels.WeChat;

/// <summary>
/// Replies that were not ready within the reply budget: the request was answered "success", and the reply
/// follows as a customer-service message once it is; a send WeChat could not take just then (-1 busy, no connection)
/// is tried again (<see cref="WeChatRetries"/>), so the reply is not lost. Stopping the host (a deploy) waits for the ones
/// still running, those still being prepared included: WeChat was answered and the message recorded as answered, so its
/// retries would bring nothing back. Only the end of the host's shutdown timeout cancels them (<see cref="GivingUp"/>).
/// </summary>
public sealed class WeChatFollowUps(IServiceScopeFactory scopes, IOptions<WeChatOptions> options, TimeProvider clock, ILogger<WeChatFollowUps> logger, WeChatApiClient? api = null) : IHostedService, IDisposable
{
    private readonly ConcurrentDictionary<Task, byte> running = new();
    private readonly CancellationTokenSource givingUp = new();

    /// <summary>For a reply's work: cancelled only when a stop can wait for it no longer.</summary>
    public CancellationToken GivingUp => givingUp.Token;

    public void Deliver(string openId, Task<WeChatAnswer> work)
    {
        var followUp = DeliverAsync(openId, work);
        running.TryAdd(followUp, 0);
        followUp.ContinueWith(done => running.TryRemove(done, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        try
        {
            // A request answered while the stop began may hand over a reply after the first look.
            while (!running.IsEmpty)
                await Task.WhenAll(running.Keys).WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            logger.LogWarning("wechat: stopping with {Count} late replies unsent", running.Count);
            await givingUp.CancelAsync();
        }
    }

    public void Dispose() => givingUp.Dispose();

    // The edge of a late reply: whatever goes wrong is logged; WeChat was already answered.
    private async Task DeliverAsync(string openId, Task<WeChatAnswer> work)
    {
        WeChatAnswer? answer = null;
        try
        {
            answer = await work;
            if (answer is WeChatAnswer.Empty)
                return;
            if (api is null)
            {
                await PutBackOffersAsync(answer);
                logger.LogWarning(
                    "wechat: the reply to {OpenId} took longer than {ReplyBudget} and is dropped; set WeChat__AppSecret so late replies go out as customer-service messages",
                    openId, options.Value.ReplyBudget);
                return;
            }

            await SendAsync(api, openId, answer);
            logger.LogInformation("wechat: the reply to {OpenId} took longer than {ReplyBudget}; sent it as a customer-service message", openId, options.Value.ReplyBudget);
        }
        catch (WeChatException error)
        {
            await PutBackOffersAsync(answer);
            logger.LogWarning("wechat: unable to send the late reply to {OpenId}: {Reason}", openId, WeChatErrors.Describe(error));
        }
        catch (Exception error)
        {
            logger.LogError(error, "wechat: unable to answer a message from {OpenId}", openId);
        }
    }

    private Task SendAsync(WeChatApiClient client, string openId, WeChatAnswer answer) =>
        WeChatRetries.RunAsync(
            () => answer switch
            {
                WeChatAnswer.News news => client.SendCustomNewsAsync(openId, news.Article),
                WeChatAnswer.Text text => client.SendCustomTextAsync(openId, text.Content),
                _ => Task.CompletedTask,
            },
            clock,
            error => logger.LogInformation("wechat: the late reply to {OpenId} could not be sent yet: {Reason}; trying again", openId, WeChatErrors.Describe(error)));

    private async Task PutBackOffersAsync(WeChatAnswer? answer)
    {
        if (answer is not { Offered.Count: > 0 })
            return;
        await using var scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<WeChatOffers>().PutBackAsync(answer.Offered, CancellationToken.None);
    }
}
