using Microsoft.AspNetCore.Mvc;
using PaperBot.Admin;

namespace PaperBot.Pages.Admin;

/// <summary>
/// POST /admin/logout ends this session (every copy of its cookie); POST /admin/logout?handler=Everywhere ends every
/// admin session. A GET only goes back to the dashboard, so a link cannot log anyone out.
/// </summary>
public sealed class LogoutModel(AdminLogin login) : AdminPage
{
    public IActionResult OnGet() => Redirect("/admin");

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        await login.LogOutAsync(HttpContext, cancellationToken);
        return Redirect($"{AdminRegistration.LoginPath}?loggedOut=1");
    }

    public async Task<IActionResult> OnPostEverywhereAsync(CancellationToken cancellationToken)
    {
        await login.SignOutEverywhereAsync(HttpContext, cancellationToken);
        return Redirect($"{AdminRegistration.LoginPath}?loggedOut=1");
    }
}
