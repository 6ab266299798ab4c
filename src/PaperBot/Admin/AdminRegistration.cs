using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using PaperBot.Core.Configuration;
using PaperBot.Web;

namespace PaperBot.Admin;

public static class AdminRegistration
{
    public const string Scheme = CookieAuthenticationDefaults.AuthenticationScheme;
    public const string Policy = "admin";
    public const string LoginPath = "/admin/login";
    public const string CookieName = "paperbot_admin";

    /// <summary>
    /// The admin page: its password, a cookie session carrying the <see cref="WebAdmin.Role"/> role (so the JSON API and
    /// the console see drafts and admin commands too), anti-forgery on every form, and the keys behind both in the database.
    /// </summary>
    public static IHostApplicationBuilder AddAdmin(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddValidatedOptions<AdminPageOptions>(AdminPageOptions.Section);
        services.AddSingleton<AdminPassword>();
        services.AddHostedService<AdminPasswordAtStart>();
        services.AddScoped<LoginThrottle>();
        services.AddSingleton<LoginTurns>();
        services.AddSingleton<BroadcastSends>();
        services.AddSingleton<AdminSessions>();
        services.AddScoped<AdminLogin>();
        services.AddScoped<IssuePreviews>();
        services.AddScoped<AdminNumbers>();
        services.AddScoped<SubscriberTable>();
        services.AddSingleton<AdminTime>();

        services.AddDataProtection().SetApplicationName("PaperBot");
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp =>
            new ConfigureOptions<KeyManagementOptions>(keys => keys.XmlRepository = new DatabaseKeyRepository(sp.GetRequiredService<IServiceScopeFactory>())));

        services.AddAuthentication(Scheme).AddCookie(Scheme, cookie =>
        {
            cookie.Cookie.Name = CookieName;
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Strict;
            cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            cookie.SlidingExpiration = true;
            cookie.LoginPath = LoginPath;
            cookie.LogoutPath = "/admin/logout";
            cookie.AccessDeniedPath = LoginPath;
            cookie.ReturnUrlParameter = "returnUrl";
            cookie.Events.OnRedirectToLogin = context => Refuse(context.HttpContext, context.RedirectUri, StatusCodes.Status401Unauthorized);
            cookie.Events.OnRedirectToAccessDenied = context => Refuse(context.HttpContext, context.RedirectUri, StatusCodes.Status403Forbidden);
            cookie.Events.OnValidatePrincipal = context => context.HttpContext.RequestServices.GetRequiredService<AdminSessions>().ValidateAsync(context);
        });
        services.AddOptions<CookieAuthenticationOptions>(Scheme)
            .Configure<IOptions<AdminPageOptions>>((cookie, admin) => cookie.ExpireTimeSpan = admin.Value.Session);
        services.AddAuthorizationBuilder().AddPolicy(Policy, policy => policy.RequireRole(WebAdmin.Role));

        services.AddAntiforgery(antiforgery =>
        {
            antiforgery.Cookie.Name = "paperbot_antiforgery";
            antiforgery.HeaderName = ChatApi.AntiforgeryHeader;
            antiforgery.Cookie.SameSite = SameSiteMode.Strict;
            antiforgery.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });
        services.Configure<CookieTempDataProviderOptions>(tempData =>
        {
            tempData.Cookie.Name = "paperbot_notice";
            tempData.Cookie.SameSite = SameSiteMode.Strict;
            tempData.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });
        services.Configure<RazorPagesOptions>(pages =>
        {
            pages.Conventions.AuthorizeFolder("/Admin", Policy);
            pages.Conventions.AllowAnonymousToPage("/Admin/Login");
        });
        return builder;
    }

    /// <summary>The admin JSON endpoints (the admin pages are Razor Pages, mapped with the site's).</summary>
    public static WebApplication MapAdmin(this WebApplication app)
    {
        app.MapAdminApi();
        return app;
    }

    /// <summary>Pages redirect to the login page; the admin JSON answers 401/403 with a JSON error instead.</summary>
    private static Task Refuse(HttpContext http, string redirectUri, int status)
    {
        if (http.Request.Path.StartsWithSegments(AdminApi.Prefix, StringComparison.OrdinalIgnoreCase))
        {
            http.Response.StatusCode = status;
            return http.Response.WriteAsJsonAsync(new JsonBody.ErrorBody(status == StatusCodes.Status401Unauthorized
                ? $"log in first at {LoginPath}"
                : "this session may not do that"));
        }

        http.Response.Redirect(redirectUri);
        return Task.CompletedTask;
    }
}
