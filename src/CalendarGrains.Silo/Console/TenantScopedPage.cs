using CalendarGrains.Silo.Auth;
using CalendarGrains.Silo.Tenants;
using CalendarGrains.Tenants;
using Microsoft.AspNetCore.Components;

namespace CalendarGrains.Silo.WebConsole;

/// <summary>
/// A page under <c>/console/t/{tenantId}</c>: the admin may open any tenant's, a tenant session
/// only its own; any other tenant id is a 404 (as in the API, another tenant does not exist).
/// </summary>
public abstract class TenantScopedPage : ConsolePage
{
    [Parameter]
    public string TenantId { get; set; } = "";

    [Inject]
    public IGrainFactory Grains { get; set; } = null!;

    protected TenantView Tenant { get; private set; } = null!;

    /// <summary>
    /// True once the tenant and the page's data are read. Markup renders only then: a component
    /// also renders once at its first await, before anything is loaded.
    /// </summary>
    protected bool Loaded { get; private set; }

    protected string TenantPath(string rest = "") => $"/console/t/{Uri.EscapeDataString(TenantId)}{rest}";

    protected sealed override async Task OnParametersSetAsync()
    {
        if (!TenantAdministration.IsTenantId(TenantId) || !User.MaySee(TenantId) ||
            await Grains.GetGrain<ITenantGrain>(TenantId).GetAsync() is not { } tenant)
        {
            NotFound();
            return;
        }

        Tenant = tenant;
        await LoadAsync();
        Loaded = true;
    }

    /// <summary>Reads what the page shows; called again by form handlers after they changed something.</summary>
    protected abstract Task LoadAsync();
}
