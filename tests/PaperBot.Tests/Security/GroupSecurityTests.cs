using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using PaperBot.Core.Subscribers;
using PaperBot.Tests.Channels.Telegram;

namespace PaperBot.Tests.Security;

/// <summary>A Telegram group: its settings are its administrators' (getChatMember), and an admin's answers are not the group's.</summary>
public sealed class GroupSecurityTests
{
    private const long Group = -1006001;
    private const long GroupAdmin = 6101;
    private const long Member = 6102;
    private const long BotAdmin = 6103;

    private static Task<Subscriber?> GroupAsync(TelegramHost host) =>
        host.App.QueryAsync(db => db.Subscribers.Include(s => s.Topics).AsNoTracking()
            .FirstOrDefaultAsync(s => s.Channel == Channel.Telegram && s.ChatId == Group.ToString(CultureInfo.InvariantCulture)));

    private static async Task<BotCall> SayInGroupAsync(TelegramHost host, long from, string text)
    {
        var before = host.Api.SentTo(Group).Count;
        await host.DeliverAsync(UpdateJson.Text(Group, text, from: from));
        await host.Api.WaitForAsync(_ => host.Api.SentTo(Group).Count > before, $"an answer to '{text}' in the group");
        return host.Api.SentTo(Group)[before];
    }

    [Fact]
    public async Task AGroupMemberWhoIsNotAChatAdministratorCannotChangeTheGroupsTopics()
    {
        await using var host = await TelegramHost.StartAsync(Receiving.Webhook);
        host.Api.SetChatMember(Group, GroupAdmin, "administrator");
        host.Api.SetChatMember(Group, Member, "member");
        await SayInGroupAsync(host, GroupAdmin, "/start");
        await SayInGroupAsync(host, GroupAdmin, "/topics add moe");

        var topics = await SayInGroupAsync(host, Member, "/topics clear");
        var language = await SayInGroupAsync(host, Member, "/lang en");
        var leave = await SayInGroupAsync(host, Member, "/unsubscribe");
        var reading = await SayInGroupAsync(host, Member, "/paper 4");

        const string Refusal = "Only this group's administrators can change its subscription, topics and language.";
        Assert.Equal([Refusal, Refusal, Refusal], new[] { topics.Text, language.Text, leave.Text });
        Assert.Contains("Rho-1", reading.Text, StringComparison.Ordinal);
        var group = await GroupAsync(host);
        Assert.Equal(SubscriberStatus.Active, group!.Status);
        Assert.Equal(["moe"], group.Topics.Select(t => t.Topic));
        Assert.False(group.LanguageChosen);
        Assert.Single(host.Api.CallsTo("getChatMember"), c => c["user_id"] == Member.ToString(CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task ATopicButtonPressedByAMemberChangesNothing()
    {
        await using var host = await TelegramHost.StartAsync(Receiving.Webhook);
        host.Api.SetChatMember(Group, Member, "restricted");
        var filter = await SayInGroupAsync(host, Member, "/topics");

        await host.DeliverAsync(UpdateJson.Button(Group, filter.MessageId!.Value, "t:moe", from: Member));
        await host.SettleAsync();

        Assert.Null((await GroupAsync(host))?.Topics.FirstOrDefault());
        Assert.DoesNotContain(host.Api.CallsTo("editMessageText"), c => c.Buttons.Any(b => b.Text.StartsWith('✓')));
    }

    [Fact]
    public async Task AForgedButtonPressOnAChannelPostChangesNothingAndPostsNothingButIsAnswered()
    {
        const long ChannelId = -1005550001;
        var channel = ChannelId.ToString(CultureInfo.InvariantCulture);
        await using var host = await TelegramHost.StartAsync(Receiving.Webhook, new Dictionary<string, string?> { ["Telegram:Channels:0"] = channel });

        foreach (var data in new[] { "s:off", "t:moe", "p:1:4" })
        {
            var press = UpdateJson.Button(ChannelId, 10, data, from: Member);
            press["callback_query"]!["message"]!["chat"] = new JsonObject { ["id"] = ChannelId, ["type"] = "channel", ["title"] = "Paper digest" };
            await host.DeliverAsync(press);
        }

        await host.SettleAsync();
        var subscriber = await host.App.QueryAsync(db => db.Subscribers.Include(s => s.Topics).AsNoTracking()
            .FirstAsync(s => s.Channel == Channel.Telegram && s.ChatId == channel));
        Assert.Equal(SubscriberStatus.Active, subscriber.Status);
        Assert.Empty(subscriber.Topics);
        Assert.Empty(host.Api.SentTo(ChannelId));
        Assert.Equal(3, host.Api.CallsTo("answerCallbackQuery").Count);
    }

    [Fact]
    public async Task AnAdministratorsAnswerIsRememberedForAMinuteThenAskedAgain()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var host = await TelegramHost.StartAsync(Receiving.Webhook, clock: clock);
        host.Api.SetChatMember(Group, Member, "member");
        await SayInGroupAsync(host, Member, "/lang en");
        host.Api.SetChatMember(Group, Member, "administrator");

        clock.Advance(TimeSpan.FromSeconds(59));
        var withinTheMinute = await SayInGroupAsync(host, Member, "/lang en");
        clock.Advance(TimeSpan.FromSeconds(4));
        var afterIt = await SayInGroupAsync(host, Member, "/lang en");

        Assert.Equal("Only this group's administrators can change its subscription, topics and language.", withinTheMinute.Text);
        Assert.Equal("OK, I will reply in English.", afterIt.Text);
        Assert.Equal(2, host.Api.CallsTo("getChatMember").Count);
    }

    [Fact]
    public async Task AnAnonymousAdministratorWritingAsTheGroupChangesItsSettings()
    {
        await using var host = await TelegramHost.StartAsync(Receiving.Webhook);
        var update = UpdateJson.Text(Group, "/start", from: 1087968824);
        update["message"]!["sender_chat"] = new JsonObject { ["id"] = Group, ["type"] = "supergroup", ["title"] = "Paper readers" };

        await host.DeliverAsync(update);
        await host.Api.WaitForMessageAsync(Group);

        Assert.Equal(SubscriberStatus.Active, (await GroupAsync(host))!.Status);
        Assert.Empty(host.Api.CallsTo("getChatMember"));
    }

    [Fact]
    public async Task AnAdminsStatsAskedInAGroupAreAnsweredInTheirPrivateChat()
    {
        await using var host = await TelegramHost.StartAsync(Receiving.Webhook, new Dictionary<string, string?> { ["Admins:Telegram:0"] = BotAdmin.ToString(CultureInfo.InvariantCulture) });

        await host.DeliverAsync(UpdateJson.Text(Group, $"/stats@{FakeBotApi.BotUsername}", from: BotAdmin));
        var answer = await host.Api.WaitForMessageAsync(BotAdmin);
        await host.SettleAsync();

        Assert.Contains("Subscribers:", answer.Text, StringComparison.Ordinal);
        Assert.Empty(host.Api.SentTo(Group));
    }

    [Fact]
    public async Task WhenTheBotMayNotWriteToTheAdminYetTheGroupIsToldHowToLetIt()
    {
        await using var host = await TelegramHost.StartAsync(Receiving.Webhook, new Dictionary<string, string?> { ["Admins:Telegram:0"] = BotAdmin.ToString(CultureInfo.InvariantCulture) });
        host.Api.FailNext("sendMessage", FakeAnswer.Error(403, "Forbidden: bot can't initiate conversation with a user"));

        var hint = await SayInGroupAsync(host, BotAdmin, "/publish");

        Assert.Contains($"@{FakeBotApi.BotUsername}", hint.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("发布第", hint.Text, StringComparison.Ordinal);
        Assert.Empty(host.Api.SentTo(BotAdmin));
    }
}
