namespace PaperBot.Web;

public static class WebAdmin
{
    public const string Role = "admin";

    /// <summary>True when the request carries an admin page session.</summary>
    public static bool IsAdmin(HttpContext http) => http.User.IsInRole(Role);
}
