using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using PaperBot.Admin;
using PaperBot.Web;

namespace PaperBot.Pages.Admin;

public sealed class LoginModel(AdminLogin login) : AdminPage
{
    public string? Error { get; private set; }

    public string ReturnUrl { get; private set; } = "/admin";

    public IActionResult OnGet(string? returnUrl)
    {
        ReturnUrl = Local(returnUrl);
        return WebAdmin.IsAdmin(HttpContext) ? LocalRedirect(ReturnUrl) : Page();
    }

    public async Task<IActionResult> OnPostAsync(string? password, string? returnUrl, CancellationToken cancellationToken)
    {
        ReturnUrl = Local(returnUrl);
        switch (await login.LogInAsync(HttpContext, password, cancellationToken))
        {
            case LoginOutcome.LoggedIn:
                return LocalRedirect(ReturnUrl);
            case LoginOutcome.WrongPassword { Wait: var wait } when wait > TimeSpan.Zero:
                Error = $"Wrong password. Too many failed logins from your address: wait {Seconds(wait)} before the next try.";
                Response.StatusCode = StatusCodes.Status401Unauthorized;
                return Page();
            case LoginOutcome.WrongPassword:
                Error = "Wrong password.";
                Response.StatusCode = StatusCodes.Status401Unauthorized;
                return Page();
            case LoginOutcome.TryLater later:
                return TooMany($"Too many failed logins from your address: try again in {Seconds(later.Wait)}.", later.Wait);
            case LoginOutcome.Busy busy:
                return TooMany($"Too many logins are waiting to be checked: try again in {Seconds(busy.Wait)}.", busy.Wait);
            default:
                throw new InvalidOperationException("admin: unexpected login outcome");
        }
    }

    private PageResult TooMany(string error, TimeSpan wait)
    {
        Error = error;
        Response.StatusCode = StatusCodes.Status429TooManyRequests;
        Response.Headers.RetryAfter = ((int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Page();
    }

    private static string Seconds(TimeSpan span) => span.TotalSeconds <= 1 ? "1 second" : $"{(int)Math.Ceiling(span.TotalSeconds)} seconds";

    /// <summary>Only a path on this site, so the login page cannot send anyone elsewhere.</summary>
    private string Local(string? returnUrl) =>
        returnUrl is { Length: > 0 } url && Url.IsLocalUrl(url) && url.StartsWith("/admin", StringComparison.OrdinalIgnoreCase) ? url : "/admin";
}
