using CalendarGrains.Silo.WebConsole.Data;
using CalendarGrains.Silo.WebConsole.Security;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CalendarGrains.Silo.WebConsole;

/// <summary>
/// The operator and tenant console at <c>/console</c>: Razor components rendered on the server
/// (static SSR: plain HTML and form posts, no WebSocket, no framework script), our own CSS and a
/// small script, signed in with the admin key or a tenant key.
/// </summary>
public static class ConsoleSetup
{
    public const string Path = "/console";
    public const string SignInPath = "/console/sign-in";
    public const string SignOutPath = "/console/sign-out";

    /// <summary>How long a session lasts before the key must be given again.</summary>
    public static readonly TimeSpan SessionLifetime = TimeSpan.FromHours(8);

    public static IServiceCollection AddConsole(this IServiceCollection services)
    {
        services.AddRazorComponents();
        services.AddAuthentication().AddCookie(ConsoleAuth.Scheme, options =>
        {
            options.Cookie.Name = ConsoleAuth.CookieName;
            options.Cookie.Path = Path;
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.Cookie.IsEssential = true;
            options.LoginPath = SignInPath;
            options.LogoutPath = SignOutPath;
            options.ReturnUrlParameter = "returnUrl";
            options.ExpireTimeSpan = SessionLifetime;
            options.SlidingExpiration = false;
            options.EventsType = typeof(ConsoleSessionEvents);
        });
        services.AddAuthorizationBuilder().AddPolicy(ConsoleAuth.Policy, policy => policy
            .AddAuthenticationSchemes(ConsoleAuth.Scheme)
            .RequireAuthenticatedUser());
        services.AddAntiforgery(options =>
        {
            options.Cookie.Name = "cg_console_af";
            options.Cookie.Path = Path;
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Strict;
        });
        services.Configure<CookiePolicyOptions>(LoopbackCookies.Configure);
        services.AddScoped<ConsoleAuth>();
        services.AddScoped<ConsoleSessionEvents>();
        services.AddSingleton<ConsoleAssets>();
        services.AddSingleton<LiveNumbers>();
        services.AddSingleton<WebhookDeliveryLog>();
        return services;
    }

    /// <summary>
    /// Security headers, cookie rules and the assets for <c>/console</c>. Before authentication:
    /// the cookie handler also writes cookies there (a session ended by a revoked key is deleted).
    /// </summary>
    public static WebApplication UseConsoleProtections(this WebApplication app)
    {
        // Listening from the start, so the first look at the numbers already has the minutes before it.
        _ = app.Services.GetRequiredService<LiveNumbers>();
        var assets = app.Services.GetRequiredService<ConsoleAssets>();
        app.UseWhen(context => context.Request.Path.StartsWithSegments(Path), console =>
        {
            console.Use((context, next) =>
            {
                ConsoleSecurityHeaders.Apply(context.Response);
                return next(context);
            });
            console.UseCookiePolicy();
            console.UseStaticFiles(new StaticFileOptions
            {
                FileProvider = assets.Files,
                RequestPath = ConsoleAssets.Path,
                OnPrepareResponse = file => file.Context.Response.Headers.CacheControl =
                    file.Context.Request.Query.ContainsKey("v") ? "public, max-age=31536000, immutable" : "no-cache",
            });
        });
        return app;
    }

    public static WebApplication MapConsole(this WebApplication app)
    {
        app.MapRazorComponents<App>().RequireAuthorization(ConsoleAuth.Policy);
        app.MapPost(SignOutPath, static async Task<Results<RedirectHttpResult, BadRequest>> (HttpContext context) =>
            {
                // Note: the middleware only records its verdict for an endpoint that binds no form; enforce it here.
                if (context.Features.Get<IAntiforgeryValidationFeature>() is not { IsValid: true })
                {
                    return TypedResults.BadRequest();
                }

                await context.SignOutAsync(ConsoleAuth.Scheme);
                return TypedResults.Redirect(SignInPath);
            })
            // Note: signed in, so the request runs as the console user the form's token was issued to.
            .RequireAuthorization(ConsoleAuth.Policy)
            .WithMetadata(new RequireAntiforgeryTokenAttribute())
            .ExcludeFromDescription();
        return app;
    }
}
