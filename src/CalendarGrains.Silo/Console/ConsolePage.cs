using System.Security.Claims;
using CalendarGrains.Silo.Auth;
using Microsoft.AspNetCore.Components;

namespace CalendarGrains.Silo.WebConsole;

/// <summary>A console page: who is signed in, and answering 404 the way the API does.</summary>
public abstract class ConsolePage : ComponentBase
{
    /// <summary>Static server rendering: every page renders inside its request.</summary>
    [CascadingParameter]
    public HttpContext HttpContext { get; set; } = null!;

    [Inject]
    public NavigationManager Navigation { get; set; } = null!;

    protected ClaimsPrincipal User => HttpContext.User;

    protected bool IsAdmin => User.IsAdmin();

    /// <summary>True once the page said "not found": it renders the notice and nothing else.</summary>
    protected bool Missing { get; private set; }

    /// <summary>
    /// What does not exist for this session (another tenant's object included) is a 404, never a
    /// 403: the router renders the not-found page instead of this one.
    /// </summary>
    protected void NotFound()
    {
        Missing = true;
        Navigation.NotFound();
    }
}
