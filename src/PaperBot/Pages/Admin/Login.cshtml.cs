using Microsoft.AspNetCore.Mvc;
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
            case LoginOutcome.WrongPassword { NowLockedOut: true }:
                Error = "Wrong password. Too many failed logins: logins are locked for a while.";
                Response.StatusCode = StatusCodes.Status429TooManyRequests;
                return Page();
            case LoginOutcome.WrongPassword:
                Error = "Wrong password.";
                Response.StatusCode = StatusCodes.Status401Unauthorized;
                return Page();
            case LoginOutcome.LockedOut locked:
                Error = locked.Gate == LoginGate.AddressLockedOut
                    ? $"Too many failed logins from your address: logins are locked for {Minutes(locked.Lockout)}. Try again later."
                    : $"Too many failed logins: every login is locked for {Minutes(locked.Lockout)}. Try again later.";
                Response.StatusCode = StatusCodes.Status429TooManyRequests;
                return Page();
            default:
                throw new InvalidOperationException("admin: unexpected login outcome");
        }
    }

    private static string Minutes(TimeSpan span) => span.TotalMinutes >= 1 ? $"{(int)Math.Ceiling(span.TotalMinutes)} minutes" : $"{(int)Math.Ceiling(span.TotalSeconds)} seconds";

    /// <summary>Only a path on this site, so the login page cannot send anyone elsewhere.</summary>
    private string Local(string? returnUrl) =>
        returnUrl is { Length: > 0 } url && Url.IsLocalUrl(url) && url.StartsWith("/admin", StringComparison.OrdinalIgnoreCase) ? url : "/admin";
}
