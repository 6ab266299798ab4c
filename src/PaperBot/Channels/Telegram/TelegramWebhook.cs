using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using PaperBot.Web;
using Telegram.Bot;
using Telegram.Bot.Types;

namespace PaperBot.Channels.Telegram;

/// <summary>
/// POST /telegram/webhook. Authenticity first: the X-Telegram-Bot-Api-Secret-Token header must equal
/// Telegram:WebhookSecret (401 otherwise); then the body (1 MB at most, a JSON Update); then the update is
/// deduplicated and handled. Everything accepted gets 200, even when handling it failed, because Telegram
/// would otherwise deliver it again and again. In polling mode the endpoint answers 404.
/// </summary>
public static class TelegramWebhook
{
    public const string Path = "/telegram/webhook";
    public const string SecretHeader = "X-Telegram-Bot-Api-Secret-Token";
    public const int MaxBodyBytes = 1024 * 1024;

    public static IEndpointRouteBuilder MapTelegramWebhook(this IEndpointRouteBuilder app)
    {
        app.MapPost(Path, HandleAsync).DisableAntiforgery();
        return app;
    }

    private static async Task<IResult> HandleAsync(
        HttpContext http, IOptions<TelegramOptions> options, TelegramIdentity identity, TelegramUpdates updates)
    {
        var settings = options.Value;
        if (!settings.Enabled || !settings.UsesWebhook)
            return Results.NotFound();
        if (!SecretMatches(http.Request.Headers[SecretHeader], settings.WebhookSecret))
            return Results.Unauthorized();
        if (!identity.IsKnown)
            return JsonBody.Problem("starting up; Telegram will deliver this update again", StatusCodes.Status503ServiceUnavailable);

        var (update, error) = await JsonBody.ReadAsync<Update>(http.Request, MaxBodyBytes, JsonBotAPI.Options, http.RequestAborted);
        if (update is null)
            return error!;
        if (update.Id <= 0)
            return JsonBody.Problem("not a Telegram update: update_id is missing");

        // Handled to the end even if Telegram hangs up or the host starts stopping: the receipt is already written, so
        // it would not come again.
        await updates.HandleSafelyAsync(update);
        return Results.Ok();
    }

    private static bool SecretMatches(string? given, string expected) =>
        given is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(expected));
}
