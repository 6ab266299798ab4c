using Microsoft.AspNetCore.Mvc;
using PaperBot.Admin;
using PaperBot.Core.Publishing;
using PaperBot.Core.Stats;
using PaperBot.Core.Subscribers;

namespace PaperBot.Pages.Admin;

/// <summary>Compose, preview per channel, send through the engine, then watch the push.</summary>
public sealed class BroadcastModel(IssuePreviews previews, BroadcastSends sends, PushEstimate estimates) : AdminPage
{
    public string Text { get; private set; } = "";
    public string Language { get; private set; } = Languages.Chinese;
    public string? Error { get; private set; }
    public ChannelPreview? Preview { get; private set; }

    /// <summary>Sent back with Send: the same preview sent twice is queued once (<see cref="BroadcastSends"/>).</summary>
    public string SendKey { get; private set; } = "";
    public Estimate Estimate { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        Estimate = await estimates.ForAudienceAsync(includeChannelPosts: false, cancellationToken);

    public async Task<IActionResult> OnPostPreviewAsync(string? text, string? lang, CancellationToken cancellationToken)
    {
        await OnGetAsync(cancellationToken);
        Text = text?.Trim() ?? "";
        Language = Languages.Parse(lang) ?? Languages.Chinese;
        if (Check(Text) is { } problem)
        {
            Error = problem;
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        Preview = previews.ForBroadcast(Text, Language);
        SendKey = BroadcastSends.NewKey();
        return Page();
    }

    public async Task<IActionResult> OnPostSendAsync(string? text, string? key, CancellationToken cancellationToken)
    {
        var trimmed = text?.Trim() ?? "";
        if (Check(trimmed) is { } problem)
        {
            await OnGetAsync(cancellationToken);
            Text = trimmed;
            Error = problem;
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        var queued = await sends.SendAsync(trimmed, key, AdminLogin.Actor);
        Notice($"Announcement queued for {queued.Recipients} subscribers.");
        return Redirect($"/admin/pushes/{queued.PushId}");
    }

    private static string? Check(string text) => text.Length switch
    {
        0 => "Write the announcement first.",
        > Broadcaster.MaxTextLength => $"An announcement is at most {Broadcaster.MaxTextLength} characters; this one has {text.Length}.",
        _ => null,
    };
}
