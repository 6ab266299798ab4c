using Microsoft.AspNetCore.Mvc.RazorPages;

namespace PaperBot.Pages.Admin;

/// <summary>An admin page: a one-line result shown after a redirect (post, redirect, get).</summary>
public abstract class AdminPage : PageModel
{
    protected void Notice(string text) => TempData["Notice"] = text;

    protected void Problem(string text) => TempData["Problem"] = text;
}
