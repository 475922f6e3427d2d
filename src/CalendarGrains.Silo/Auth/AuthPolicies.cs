namespace CalendarGrains.Silo.Auth;

/// <summary>The three kinds of route: operator only, tenant only, or either.</summary>
public static class AuthPolicies
{
    public const string Admin = "admin";
    public const string Tenant = "tenant";
    public const string AdminOrTenant = "admin-or-tenant";

    public static IServiceCollection AddApiKeyAuth(this IServiceCollection services)
    {
        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(Admin, policy => policy.RequireRole(Caller.AdminRole))
            .AddPolicy(Tenant, policy => policy.RequireClaim(Caller.TenantIdClaim))
            .AddPolicy(AdminOrTenant, policy => policy.RequireAssertion(context =>
                context.User.IsAdmin() || context.User.HasClaim(claim => claim.Type == Caller.TenantIdClaim)));
        services.AddSingleton<ApiKeyResolver>();
        services.AddOptions<AdminOptions>().BindConfiguration(AdminOptions.Section).ValidateOnStart();
        services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<AdminOptions>, AdminOptionsValidator>();
        services.AddSingleton<AdminKey>();
        return services;
    }
}
