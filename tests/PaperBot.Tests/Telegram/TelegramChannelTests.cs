using Microsoft.EntityFrameworkCore;
using PaperBot.Core.Subscribers;

namespace PaperBot.Tests.Telegram;

/// <summary>The Telegram channel end to end, in polling and in webhook mode: real host, real client, fake Bot API.</summary>
public sealed class TelegramChannelTests
{
    private const long Reader = 4201;

    private static Task<Subscriber?> SubscriberAsync(TelegramHost host, long chatId) =>
        host.App.QueryAsync(db => db.Subscribers.Include(s => s.Topics).AsNoTracking()
            .FirstOrDefaultAsync(s => s.Channel == Channel.Telegram && s.ChatId == chatId.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    [Theory]
    [InlineData(Receiving.Polling)]
    [InlineData(Receiving.Webhook)]
    public async Task StartSubscribesTheChat(Receiving mode)
    {
        await using var host = await TelegramHost.StartAsync(mode);

        var answer = await host.AskAsync(Reader, "/start");

        Assert.Contains("Welcome to PaperBot", answer.Text, StringComparison.Ordinal);
        var subscriber = await SubscriberAsync(host, Reader);
        Assert.NotNull(subscriber);
        Assert.Equal(SubscriberStatus.Active, subscriber.Status);
        Assert.Equal(ChatKind.Private, subscriber.Kind);
        Assert.Equal("en", subscriber.Language);
        Assert.Equal("Ada Lovelace", subscriber.DisplayName);
    }

    [Theory]
    [InlineData(Receiving.Polling)]
    [InlineData(Receiving.Webhook)]
    public async Task PaperFourAnswersWithRho1AndItsArxivLink(Receiving mode)
    {
        await using var host = await TelegramHost.StartAsync(mode);

        var answer = await host.AskAsync(Reader, "/paper 4");

        Assert.Equal("Html", answer["parse_mode"], ignoreCase: true);
        Assert.Contains("<b>4. ", answer.Text, StringComparison.Ordinal);
        Assert.Contains("Rho-1", answer.Text, StringComparison.Ordinal);
        Assert.Contains("<a href=\"https://arxiv.org/abs/2404.07965\">arXiv 2404.07965</a>", answer.Text, StringComparison.Ordinal);
        Assert.Contains(answer.Buttons, b => b.Url == "https://arxiv.org/abs/2404.07965");
        Assert.Contains(answer.Buttons, b => b.Data == "n:1:5" && b.Text == "5 ▶");
        Assert.Contains(answer.Buttons, b => b.Data == "n:1:3" && b.Text == "◀ 3");
    }
}
